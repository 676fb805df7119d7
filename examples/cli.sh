#!/usr/bin/env bash
# The README's command-line session (section "Command-line tool"), run by ReadmeCheck against a
# live server with the `quarry` launcher on the PATH.
# README:begin
quarry config show
echo '["a", "b", {"c": 3}]' > inputs.json
quarry submit checksum --inputs inputs.json
quarry jobs list --limit 1 -o json
quarry jobs get 00000000-0000-0000-0000-000000000000 || echo "exit $?"
JOB=$(echo '["x"]' | quarry submit fail --inputs - --no-wait --quiet)
quarry jobs watch $JOB || echo "exit $?"
quarry jobs retry-failed $JOB -o json | grep retried
# README:end
