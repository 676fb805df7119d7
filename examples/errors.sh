#!/usr/bin/env bash
# The README's error examples (section "Errors"), run by ReadmeCheck against a live server.
# README:begin
KEY=$(sed -n 's/^api_key=//p' ~/.quarry/config)
Q=http://localhost:8080

curl -s -w '\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"function":"nope","inputs":[1]}' $Q/v1/jobs
curl -s -w '\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"function":"echo","inputs":[1],"chunkSize":0}' $Q/v1/jobs
curl -s -w '\n' $Q/v1/jobs
curl -s -w '\n' -X TRACE $Q/v1/jobs
# README:end
