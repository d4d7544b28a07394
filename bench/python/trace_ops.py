"""Per-operator self time from a Chrome trace of libtorch's profiler (DJL's JniUtils.stopProfile,
or torch.profiler's export_chrome_trace): an operator's self time is its duration less that of
the operators nested in it on the same thread. Prints a markdown table, longest first.

    python3 trace_ops.py TRACE.json [ROWS]
"""
import collections
import json
import sys


def self_times(events):
    """name -> [self microseconds, calls], from complete ('X') events nested per thread."""
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") in ("cpu_op", "Operator", "user_annotation", ""):
            by_thread[(e.get("pid"), e.get("tid"))].append((float(e["ts"]), float(e["dur"]), e["name"]))
    totals = collections.defaultdict(lambda: [0.0, 0])
    for spans in by_thread.values():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []  # [end, name, child time]
        def close(until):
            while stack and stack[-1][0] <= until:
                end, name, child, dur = stack.pop()
                totals[name][0] += dur - child
                totals[name][1] += 1
                if stack:
                    stack[-1][2] += dur
        for ts, dur, name in spans:
            close(ts)
            stack.append([ts + dur, name, 0.0, dur])
        close(float("inf"))
    return totals


def main():
    data = json.load(open(sys.argv[1]))
    events = data["traceEvents"] if isinstance(data, dict) else data
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    totals = self_times(events)
    # the outermost frame ("forward" or the Python function) is time spent outside operators
    whole = sum(t for t, _ in totals.values())
    print("| operator | self ms | share | calls |\n|---|---|---|---|")
    for name, (t, n) in sorted(totals.items(), key=lambda kv: -kv[1][0])[:rows]:
        print(f"| {name} | {t / 1000:.1f} | {100 * t / whole:.1f}% | {n} |")
    print(f"| all operators | {whole / 1000:.1f} | 100% | |")


if __name__ == "__main__":
    main()
