#!/usr/bin/env bash
exec "$(dirname "$0")/herald-run-class.sh" io.herald.tools.DumpLogSegments "$@"
