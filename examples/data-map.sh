#!/usr/bin/env bash
# The README's curl example of a map over stored data (section "Maps over stored data").
# README:begin
KEY=$(sed -n 's/^api_key=//p' ~/.quarry/config)
Q=http://localhost:8080
printf 'alpha beta\ngamma\ndelta epsilon zeta\n' > words.txt
curl -s -o /dev/null -H "Authorization: Bearer $KEY" -T words.txt $Q/v1/storage/corpus/words.txt

# one future per range of whole lines; `echo` answers the range it was given
JOB=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"function":"echo","data":{"bucket":"corpus","prefix":"words","objChunkNumber":3}}' \
  $Q/v1/jobs | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s -N -H "Authorization: Bearer $KEY" "$Q/v1/jobs/$JOB/results?order=input" | sed 's/.*"result"/"result"/'
curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $KEY" $Q/v1/storage/corpus/words.txt
# README:end
