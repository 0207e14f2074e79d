"""The reference texts ``--help`` prints: exit statuses and the scenario file format.

:data:`EXIT_STATUS` closes ``mock-sagemaker-pipelines --help`` and every command's help;
:data:`SCENARIO_FORMAT` closes ``simulate --help``. They are the one place these are written
down (the README points here).
"""

from __future__ import annotations

EXIT_STATUS = """\
exit status:
  0  the command did its job. For simulate: the simulation ran to its end and was
     printed, whatever the execution's final status (Succeeded, Failed, Stopped and
     CompletedWithFailures are all results); --expect STATUS turns another final
     status into 1.
  1  validate found problems; simulate --expect saw another final status.
  2  usage errors and bad input: an unreadable or invalid definition or scenario file,
     an unknown parameter or step name, a parameter value that does not parse as its
     declared type, an AWS error from CreatePipeline/StartPipelineExecution. The
     error is one line on stderr (after the usage for a bad option), never a
     traceback.
  3  simulate --strict stopped with steps waiting on outside input.
  141  standard output was closed early (a pipe into head); nothing is printed."""

SCENARIO_FORMAT = """\
scenario files (--scenario FILE): a JSON object, every key optional:
  {
    "parameters": {"MseThreshold": 6.0, "InputData": "s3://bucket/data.csv"},
    "outcomes": {
      "AbaloneTrain": "succeed",
      "Preprocess": "fail:ClientError: out of memory",
      "AbaloneEval": {
        "succeed": true,
        "after": 120,
        "outputs": {"s3_data_out": "s3://bucket/out"},
        "properties": {"ProcessingJobStatus": "Completed"},
        "property_files": {"EvaluationReport": {"regression_metrics": {"mse": {"value": 3.2}}}}
      },
      "Flaky": [{"fail": "ClientError: capacity", "exception_type": "SageMaker.CAPACITY_ERROR"},
                "succeed"],
      "Deploy": {"fail": "ClientError: quota", "after": 30}
    },
    "durations": {"Training": 60},
    "step_durations": {"AbaloneEval": 45},
    "stop_at": 100,
    "handlers": {"AbaloneEval": "abalone_handlers:write_evaluation_report"}
  }
  parameters      pipeline parameter values (strings, numbers or booleans; sent as
                  strings and parsed by the parameter's declared type, as
                  StartPipelineExecution does)
  outcomes        step name -> outcome: "succeed", "succeed:SECONDS", "fail" or
                  "fail:REASON"; {"succeed": true, "after": S, "outputs": {...},
                  "properties": {...}, "property_files": {...}} (outputs: the
                  OutputParameters of a Callback or Lambda step, declared outputs left
                  out get typed placeholders; properties: merged over a job step's
                  properties; property_files: PropertyFile name -> JSON content, read by
                  Std:JsonGet); {"fail": REASON, "after": S, "exception_type": T}; or a
                  list of these, one per attempt (the last repeating)
  durations       step Type -> simulated seconds a step of that type runs
  step_durations  step name -> simulated seconds
  stop_at         the simulated second after the start at which to call
                  StopPipelineExecution (only sent if the execution is still Executing)
  handlers        step name -> the dotted import path (module:function) of a job
                  handler (arguments, context) (see PipelinesMock.job_handler), looked
                  up on sys.path, then in the scenario file's folder and the working
                  directory
  --parameter, --outcome and --stop-at win over the scenario's values."""
