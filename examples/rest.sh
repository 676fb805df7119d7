#!/usr/bin/env bash
# The README's curl examples (section "REST (curl)"), run by ReadmeCheck against a live server.
# README:begin
KEY=$(sed -n 's/^api_key=//p' ~/.quarry/config)
Q=http://localhost:8080

# builtin functions: echo, sleep (ms), checksum (SHA-256 of the JSON), fail, noop
curl -s -w '\n' -H "Authorization: Bearer $KEY" $Q/v1/functions

# submit a map: JSON inputs, JSON results
JOB=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"function":"checksum","inputs":["a","b",{"c":3}],"chunkSize":1}' $Q/v1/jobs | sed 's/.*"id":"\([^"]*\)".*/\1/')

curl -s -N -H "Authorization: Bearer $KEY" $Q/v1/jobs/$JOB/results        # NDJSON, completion order, until the job ends
curl -s -N -H "Authorization: Bearer $KEY" "$Q/v1/jobs/$JOB/results?order=input"
curl -s -w '\n' -H "Authorization: Bearer $KEY" $Q/v1/jobs/$JOB           # status and counts
curl -s -w '\n' -X POST -H "Authorization: Bearer $KEY" $Q/v1/jobs/$JOB/cancel   # cancel unfinished futures
curl -s -w '\n' -X POST -H "Authorization: Bearer $KEY" $Q/v1/jobs/$JOB/retry-failed   # run failed futures again: {"retried":N,"job":{…}}
curl -s -w '\n' -H "Authorization: Bearer $KEY" "$Q/v1/jobs?limit=1"      # recent jobs

# register your own function by name: a jar + a class implementing java.util.function.Function
# (inputs arrive as plain Java values parsed from JSON: Map, List, String, Number, Boolean, null)
curl -s -w '\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/java-archive' \
  --data-binary @my-functions.jar "$Q/v1/functions?name=upper&entryClass=com.example.Upper"
UPPER=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"function":"upper","inputs":["quarry"]}' $Q/v1/jobs | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s -N -H "Authorization: Bearer $KEY" $Q/v1/jobs/$UPPER/results
curl -s -H "Authorization: Bearer $KEY" $Q/v1/jobs/$UPPER/futures/0/logs   # what future 0 printed (text/plain)
# README:end
