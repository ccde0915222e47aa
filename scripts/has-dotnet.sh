#!/usr/bin/env bash
# Condition of package:dotnet: no machine of this project has the dotnet SDK. Skip .NET
# packaging loudly there; a release machine with the SDK still packages it.
command -v dotnet >/dev/null 2>&1 && exit 0
echo "package:dotnet: SKIPPED: the dotnet SDK is not installed" >&2
exit 1
