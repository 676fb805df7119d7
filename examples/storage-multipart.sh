#!/usr/bin/env bash
# The README's multipart upload curl example (section "Storage"), run by ReadmeCheck against a live server.
# README:begin
KEY=$(sed -n 's/^api_key=//p' ~/.quarry/config)
Q=http://localhost:8080
head -c 1048576 /dev/zero > part1.bin
printf 'the end\n' > part2.bin
ID=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"bucket":"team-data","key":"big.bin","size":1048584}' $Q/v1/storage-uploads | sed 's/.*"uploadId":"\([^"]*\)".*/\1/')
E1=$(curl -s -H "Authorization: Bearer $KEY" -T part1.bin $Q/v1/storage-uploads/$ID/parts/1 | sed 's/.*"etag":"\(.*\)"}/\1/')
E2=$(curl -s -H "Authorization: Bearer $KEY" -T part2.bin $Q/v1/storage-uploads/$ID/parts/2 | sed 's/.*"etag":"\(.*\)"}/\1/')
curl -s -w '\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "{\"parts\":[{\"partNumber\":1,\"etag\":\"$E1\"},{\"partNumber\":2,\"etag\":\"$E2\"}]}" \
  $Q/v1/storage-uploads/$ID/complete
curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'If-Match: "stale"' $Q/v1/storage/team-data/big.bin
curl -s -X DELETE -H "Authorization: Bearer $KEY" $Q/v1/storage/team-data/big.bin
# README:end
