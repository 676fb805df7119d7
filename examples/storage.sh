#!/usr/bin/env bash
# The README's Storage API curl examples (section "Storage"), run by ReadmeCheck against a live server.
# README:begin
KEY=$(sed -n 's/^api_key=//p' ~/.quarry/config)
Q=http://localhost:8080
printf 'line one\nline two\n' > notes.txt

# upload (the body streams through to the store), download, a byte range, the headers only
curl -s -w '\n' -H "Authorization: Bearer $KEY" -T notes.txt $Q/v1/storage/team-data/2026/notes.txt
curl -s -H "Authorization: Bearer $KEY" $Q/v1/storage/team-data/2026/notes.txt
curl -s -w '\n' -H "Authorization: Bearer $KEY" -H 'Range: bytes=5-7' $Q/v1/storage/team-data/2026/notes.txt
curl -s -I -H "Authorization: Bearer $KEY" $Q/v1/storage/team-data/2026/notes.txt | tr -d '\r' | grep -i -E '^(content-length|etag)'

# list a prefix, a page at a time (pass nextPageToken back as pageToken), then delete
curl -s -w '\n' -H "Authorization: Bearer $KEY" "$Q/v1/storage/team-data?prefix=2026/&limit=100"
curl -s -w '%{http_code}\n' -X DELETE -H "Authorization: Bearer $KEY" $Q/v1/storage/team-data/2026/notes.txt
curl -s -w '\n' -H "Authorization: Bearer $KEY" $Q/v1/storage/team-data/2026/notes.txt
# README:end
