"""Benchmark of mock-sagemaker-pipelines: big fan-out/fan-in pipelines and per-call overhead.

A package of scenarios and one report, not a test (pytest's ``testpaths`` are ``tests`` and
``examples``). Run from the repository root with the project's virtualenv active
(``python -m benchmarks`` takes the same options)::

    python benchmarks/bench.py                       # sizes 100,1000,3000; 500 describe calls
    python benchmarks/bench.py --quick               # a smoke run (about a minute)
    python benchmarks/bench.py --sizes 100,1000 --calls 500 --json results.json
    python benchmarks/bench.py --profile 1000        # cProfile one 1,000-step run, then exit

Layout: ``__main__`` (the options), ``scenarios/`` (``fan_out``: the pipeline scaling runs;
``per_call``: DescribePipelineExecution against plain moto; ``sdk_suite``: the SDK example
suite), ``children`` (each cell in a fresh interpreter), ``machine``, ``report`` (the tables)
and ``common``.

What is measured (``benchmarks/README.md`` has the details and the latest figures):

1. **Pipeline scaling.** A generated pipeline of N steps: one root step, N-2 parallel steps that
   depend on it (fan-out; Training and Processing steps alternate), one step that depends on all
   of them (fan-in). Through boto3: CreatePipeline, StartPipelineExecution,
   ``PipelinesMock.run_until_idle()``, DescribePipelineExecution (must be ``Succeeded``),
   ListPipelineExecutionSteps (every page; all N steps must be listed ``Succeeded``). Wall and
   CPU time per phase (``time.perf_counter``, ``time.process_time``; best of ``--repeat``), peak
   and retained Python heap
   (``tracemalloc``, in a separate pass because tracing slows the run down) and the growth of the
   process's peak RSS (``resource.getrusage``). Each (size, variant) cell runs in a fresh child
   process so that neither RSS high-water marks nor garbage from one cell leak into the next.
   Variants: ``events-on`` (the default ``emit_events=True``; no EventBridge rule exists, as in
   most tests), ``events-off`` (``emit_events=False``) and, on request only (it is slow),
   ``events-rule`` (a rule on the default bus forwards every ``aws.sagemaker`` event to an SQS
   queue, so each event is delivered).
2. **Per-call overhead.** DescribePipelineExecution ``--calls`` times on a started execution,
   served by the plugin, then by moto's own SageMaker under a plain ``moto.mock_aws()`` (the
   plugin provably inactive), in the same process; plus the plugin while a 1,000-step execution
   is half-way through (the call's cost must not depend on the amount of simulated state).
3. **SDK example suite (optional).** When ``examples/sdk_suite/`` exists, it is run with pytest
   in a child process (waiter warping on, the plugin's default); the wall time (and the part of
   it spent in the mock) is reported next to the simulated time its mocks covered. Skipped with
   a note when the suite is absent.
"""
