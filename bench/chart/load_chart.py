"""Draws one `./jobway bench load` result (its JSON) as an SVG: latency percentiles and the cost per job.

Usage: python load_chart.py RESULT.json [OUT.svg]   (OUT defaults to RESULT.svg)
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402

SERIES = [("submit", "submit (any answer)"), ("queueWait", "queue wait"), ("endToEnd", "end to end"),
          ("realtime", "status -> WebSocket")]


def main(argv):
    source = Path(argv[1])
    target = Path(argv[2]) if len(argv) > 2 else source.with_suffix(".svg")
    result = json.loads(source.read_text())
    fig, (latency, cost) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 2]})

    for key, label in SERIES:
        series = result["latencyMs"].get(key, {})
        values = series.get("percentiles", [])
        if values:
            latency.plot(range(1, len(values) + 1), [max(v, 0.5) for v in values],
                         label=f"{label} (n={series['n']})")
    peer = result.get("peer")
    if peer:
        for key, label in SERIES:
            series = peer["latencyMs"].get(key, {})
            values = series.get("percentiles", [])
            if values:
                latency.plot(range(1, len(values) + 1), [max(v, 0.5) for v in values], linestyle="--",
                             label=f"{peer['name']}: {label}")
    latency.set_yscale("log")
    latency.set_xlabel("percentile")
    latency.set_ylabel("ms (log scale)")
    latency.set_xlim(1, 100)
    latency.grid(True, which="both", alpha=0.3)
    latency.legend(loc="upper left", fontsize=8)
    latency.set_title(f"{result['arguments'] or 'default run'}: {result['throughput']:.1f} jobs/s, "
                      f"{result['accepted']} accepted", fontsize=9)

    lines = [line for line in result["dollarsPerMillionJobs"] if line["dollars"] > 0.0005]
    lines.sort(key=lambda line: line["dollars"])
    cost.barh([line["item"] for line in lines], [line["dollars"] for line in lines], color="#4c72b0")
    for i, line in enumerate(lines):
        cost.text(line["dollars"], i, f" ${line['dollars']:.3f}", va="center", fontsize=7)
    cost.set_xlabel("dollars per million jobs (us-east-1 list prices)")
    cost.set_title(f"total ${result['dollarsPerMillionJobsTotal']:.2f} per million jobs", fontsize=9)
    cost.tick_params(axis="y", labelsize=7)

    fig.suptitle(f"Jobway local runtime, {result['machine']}, {result['at'][:10]}, commit {result.get('commit', '?')}",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(target)
    print(target)


if __name__ == "__main__":
    main(sys.argv)
