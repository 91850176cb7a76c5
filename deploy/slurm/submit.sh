#!/usr/bin/env bash
# Queues the shard array, then the merge once every shard succeeded:
#   STSSCAN_LIST=/shared/top-1m.csv STSSCAN_OUT=/shared/survey STSSCAN_EHLO_NAME=scanner.example.org \
#     STSSCAN_SHARDS=8 deploy/slurm/submit.sh
# The environment (STSSCAN_*) is passed to both jobs (sbatch's default --export=ALL).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n="${STSSCAN_SHARDS:=8}"
export STSSCAN_SHARDS
array=$(sbatch --parsable --array="0-$((n - 1))" "$here/scan-array.sh")
sbatch --parsable --dependency="afterok:${array%%;*}" "$here/merge.sh"
