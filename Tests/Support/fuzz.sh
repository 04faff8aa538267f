#!/usr/bin/env bash
# fuzz.sh BINARY SECONDS: the three libFuzzer targets of BINARY (azdo-fuzz built with
# -sanitize=fuzzer,address) side by side for SECONDS each, from the repository's root.
# New interesting inputs go to .build-fuzz/corpus/TARGET, each target's output to
# .build-fuzz/TARGET.log. A target that fails (a crash, a sanitizer report, a time-out)
# has its whole log printed, and so does the script's exit status.
set -euo pipefail
binary=${1:?usage: fuzz.sh BINARY SECONDS}
seconds=${2:?usage: fuzz.sh BINARY SECONDS}
targets=(parser pat-json dbus)
declare -A pids
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for target in "${targets[@]}"; do
  mkdir -p ".build-fuzz/corpus/$target"
  AZDO_FUZZ_TARGET=$target "$binary" -max_total_time="$seconds" -max_len=70000 -print_final_stats=1 \
    ".build-fuzz/corpus/$target" "Tests/Fuzz/corpus/$target" >".build-fuzz/$target.log" 2>&1 &
  pids[$target]=$!
done
status=0
for target in "${targets[@]}"; do
  if wait "${pids[$target]}"; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' ".build-fuzz/$target.log")
    added=$(sed -n 's/^stat::new_units_added: *//p' ".build-fuzz/$target.log")
    echo "fuzz: $target: ${runs:-?} inputs in ${seconds} s, ${added:-?} new in the corpus, no failure"
  else
    echo "fuzz: $target FAILED; its log (.build-fuzz/$target.log):"
    cat ".build-fuzz/$target.log"
    status=1
  fi
done
pids=()
exit $status
