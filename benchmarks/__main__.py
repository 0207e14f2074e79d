"""The benchmark's command line: ``python -m benchmarks`` (or ``python benchmarks/bench.py``).

Options as ``--help`` lists them; the package docstring says what is measured.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from . import __doc__ as PACKAGE_DOC
from .children import run_child
from .common import DEFAULT_VARIANTS, RESULT_MARKER, ROOT, SDK_SUITE, VARIANTS
from .goals import print_calls, print_goals, print_shapes, print_simulate, print_wait
from .machine import machine_info
from .report import print_describe, print_machine, print_scaling, print_sdk
from .scenarios import run_task
from .scenarios.fan_out import run_pipeline_once
from .scenarios.soak import print_soak, soak


def profile(steps: int, variant: str, seed: int, top: int) -> None:
    """cProfile one run of ``steps`` steps and print the ``top`` functions by cumulative time."""
    run_pipeline_once(3, variant, seed)  # imports and first-call costs outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    run_pipeline_once(steps, variant, seed)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    prog = "python -m benchmarks" if Path(sys.argv[0]).name == "__main__.py" else None
    parser = argparse.ArgumentParser(prog=prog, description=(PACKAGE_DOC or "").split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=None, help="comma-separated step counts (default 100,1000,3000)"
    )
    parser.add_argument(
        "--calls", type=int, default=None, help="DescribePipelineExecution calls (default 500)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per cell (default 3)")
    parser.add_argument(
        "--variants",
        default=",".join(DEFAULT_VARIANTS),
        help=f"comma-separated subset of {','.join(VARIANTS)} (default: {','.join(DEFAULT_VARIANTS)})",
    )
    parser.add_argument(
        "--rule-max-steps",
        type=int,
        default=300,
        help="largest size the events-rule variant runs (default 300)",
    )
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--quick", action="store_true", help="sizes 100,300; 100 calls; 1 repeat")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="pause CPython's cyclic garbage collector during each pipeline run (diagnostic)",
    )
    parser.add_argument(
        "--in-process", action="store_true", help="do not isolate cells in child processes"
    )
    parser.add_argument(
        "--sdk-suite",
        choices=("auto", "skip"),
        default="auto",
        help="run examples/sdk_suite when it exists (auto, default) or never (skip)",
    )
    parser.add_argument(
        "--profile", type=int, metavar="STEPS", help="cProfile one run of STEPS steps and exit"
    )
    parser.add_argument(
        "--soak",
        type=float,
        metavar="SECONDS",
        help="run the soak (create, run, delete in a loop) for SECONDS of wall time and exit",
    )
    parser.add_argument(
        "--shapes",
        default="fan-out,chain,callback,lambda",
        help="step kinds and shapes of the issue 15 section (default fan-out,chain,callback,lambda)",
    )
    parser.add_argument(
        "--shape-sizes",
        default=None,
        help="step counts of the shapes (default 200,2000,20000; --quick 200,2000)",
    )
    parser.add_argument(
        "--goals",
        choices=("run", "only", "skip"),
        default="run",
        help="the issue 15 section (shapes, per call, wait(), simulate): run it (default), "
        "run only it, or skip it",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [
        int(s) for s in (args.sizes or ("100,300" if args.quick else "100,1000,3000")).split(",")
    ]
    args.calls = args.calls or (100 if args.quick else 500)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    args.shapes = [v.strip() for v in args.shapes.split(",") if v.strip()]
    args.shape_sizes = [
        int(s)
        for s in (args.shape_sizes or ("200,2000" if args.quick else "200,2000,20000")).split(",")
    ]
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    return args


def run_goals(args: argparse.Namespace, isolate: bool) -> dict[str, Any]:
    """Issue 15's section: shapes, each owned action per call, wait(), simulate; the goals."""
    shapes = []
    for shape in args.shapes:
        for steps in sorted(args.shape_sizes):
            print(f"  running {shape}, {steps} steps ...", file=sys.stderr, flush=True)
            task = {
                "kind": "shape",
                "shape": shape,
                "steps": steps,
                "repeat": args.repeat,
                "gc": not args.no_gc,
            }
            shapes.append(run_child({**task, "seed": args.seed}, isolate))
    print_shapes(shapes)
    print("  running each owned action per call ...", file=sys.stderr, flush=True)
    calls = run_child({"kind": "calls", "calls": args.calls, "seed": args.seed}, isolate)
    print_calls(calls)
    print("  running the two-hour wait() ...", file=sys.stderr, flush=True)
    wait = run_child({"kind": "wait", "seed": args.seed}, isolate)
    print_wait(wait)
    print("  running simulate ...", file=sys.stderr, flush=True)
    simulate = run_child({"kind": "simulate", "repeat": args.repeat}, isolate)
    print_simulate(simulate)
    print_goals(shapes, calls, wait, simulate)
    return {"shapes": shapes, "calls": calls, "wait": wait, "simulate": simulate}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report; 0 on success."""
    args = parse_args(argv)
    if args.child:
        result = run_task(json.loads(args.child))
        print(RESULT_MARKER + json.dumps(result))
        return 0
    if args.profile:
        profile(args.profile, args.variants[0], args.seed, 40)
        return 0
    if args.soak:
        print("mock-sagemaker-pipelines benchmark")
        print_machine(machine_info())
        print_soak(soak(args.soak))
        return 0

    info = machine_info()
    print("mock-sagemaker-pipelines benchmark")
    print_machine(info)
    isolate = not args.in_process
    started = time.perf_counter()

    if args.goals != "skip":
        run_goals(args, isolate)
        if args.goals == "only":
            print(f"\nbenchmark wall time: {time.perf_counter() - started:.1f} s")
            return 0

    cells: list[dict[str, Any]] = []
    skipped: list[str] = []
    for variant in args.variants:
        for steps in sorted(args.sizes):
            if variant == "events-rule" and steps > args.rule_max_steps:
                skipped.append(
                    f"events-rule, {steps} steps: skipped (above --rule-max-steps {args.rule_max_steps}; "
                    "moto's event delivery is slow and its SQS queue quadratic)"
                )
                continue
            print(f"  running {variant}, {steps} steps ...", file=sys.stderr, flush=True)
            task = {
                "kind": "scaling",
                "steps": steps,
                "variant": variant,
                "repeat": args.repeat,
                "seed": args.seed,
                "gc": not args.no_gc,
            }
            cells.append(run_child(task, isolate))
    if args.no_gc:
        skipped.append("--no-gc: CPython's cyclic garbage collector was paused during each run")
    print_scaling(cells, skipped)

    print(
        "  running DescribePipelineExecution per-call comparison ...", file=sys.stderr, flush=True
    )
    describe = run_child(
        {
            "kind": "describe",
            "calls": args.calls,
            "repeat": args.repeat,
            "seed": args.seed,
            "busy_steps": 1000,
        },
        isolate,
    )
    print_describe(describe)

    sdk: dict[str, Any] | None = None
    sdk_note: str | None = None
    if args.sdk_suite == "skip":
        sdk_note = "skipped (--sdk-suite skip)"
    elif not SDK_SUITE.is_dir():
        sdk_note = f"skipped: {SDK_SUITE.relative_to(ROOT)} does not exist in this checkout"
    else:
        print("  running the SDK example suite ...", file=sys.stderr, flush=True)
        sdk = run_child({"kind": "sdk"}, True)
    print_sdk(sdk, sdk_note)

    print(f"\nbenchmark wall time: {time.perf_counter() - started:.1f} s")
    if args.json:
        payload = {
            "machine": info,
            "options": {
                "sizes": args.sizes,
                "calls": args.calls,
                "repeat": args.repeat,
                "variants": args.variants,
                "seed": args.seed,
                "isolated": isolate,
                "gc": not args.no_gc,
            },
            "scaling": cells,
            "skipped": skipped,
            "describe": describe,
            "sdk_suite": sdk if sdk is not None else {"skipped": sdk_note},
        }
        Path(args.json).write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
