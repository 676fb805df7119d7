#!/usr/bin/env bash
# The README's curl example of a map over earlier futures (section "Maps over earlier futures").
# README:begin
KEY=$(sed -n 's/^api_key=//p' ~/.quarry/config)
Q=http://localhost:8080
FIRST=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"function":"echo","inputs":["a","b","c"]}' $Q/v1/jobs | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s -N -o /dev/null -H "Authorization: Bearer $KEY" "$Q/v1/jobs/$FIRST/results"  # until done

# futures 2 and 0 of the first job are the inputs of the second, read by the server
NEXT=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "{\"function\":\"echo\",\"inputFutures\":[\"$FIRST:2\",\"$FIRST:0\"]}" \
  $Q/v1/jobs | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s -N -H "Authorization: Bearer $KEY" "$Q/v1/jobs/$NEXT/results?order=input" | sed 's/.*"result"/"result"/'
# README:end
