"""Which property files a definition reads, where they live, and how a test provides them.

A Processing step declares ``PropertyFiles`` (``PropertyFileName``, ``OutputName``,
``FilePath``); a ``Std:JsonGet`` whose ``PropertyFile`` is ``{"Get":
"Steps.<S>.PropertyFiles.<N>"}`` reads ``<the output's S3Uri>/<FilePath>`` (spec section 10, DG
"Pass Data Between Steps"). :func:`property_file_uses` lists each declared file with its
location (an expression the run resolves is shown as ``<Get Parameters.X>``) and its readers;
:func:`how_to_script` is the advice the ``simulate`` command and a missing file's
FailureReason give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..definition import DefinitionError, parse_definition


@dataclass(frozen=True)
class PropertyFileUse:
    """A declared property file: ``step_name`` writes ``property_file`` (``file_path`` inside
    the output ``output_name``) at ``location``; ``readers`` are ``(step, JSON path)`` pairs."""

    step_name: str
    property_file: str
    output_name: str
    file_path: str
    location: str
    readers: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        """One line: what is read, from where, by whom, and how to script it."""
        readers = ", ".join(f"{step} ({path})" for step, path in self.readers) or "no step"
        return (
            f"{self.step_name} writes property file {self.property_file} to {self.location}; "
            f"read by {readers}. {how_to_script(self.step_name, self.property_file)}"
        )


def how_to_script(step_name: str, property_file: str) -> str:
    """The advice on providing a property file under the mock."""
    return (
        f"Script it: pipelines.step({step_name!r}).succeeds(property_files={{{property_file!r}: "
        f"{{...}}}}), a job handler calling context.write_property_file({property_file!r}, ...), "
        f'or a scenario outcome with "property_files".'
    )


def render_expression(value: Any) -> str:
    """An expression as text: literals as they are, ``Get``s as ``<Get X>``, joins joined."""
    if isinstance(value, dict):
        if "Get" in value and len(value) == 1:
            return f"<Get {value['Get']}>"
        join = value.get("Std:Join")
        if isinstance(join, dict) and isinstance(join.get("Values"), list):
            return str(join.get("On", "")).join(render_expression(v) for v in join["Values"])
        return "<expression>"
    return "" if value is None else str(value)


def _output_uri(arguments: Any, output_name: str) -> Any:
    config = arguments.get("ProcessingOutputConfig") if isinstance(arguments, dict) else None
    outputs = config.get("Outputs") if isinstance(config, dict) else None
    for output in outputs if isinstance(outputs, list) else []:
        if isinstance(output, dict) and output.get("OutputName") == output_name:
            s3 = output.get("S3Output")
            return s3.get("S3Uri") if isinstance(s3, dict) else None
    return None


def _json_gets(value: Any, found: list[tuple[str, str, str]]) -> None:
    """Collect ``(step, property file, path)`` of every ``Std:JsonGet`` on a PropertyFile."""
    if isinstance(value, dict):
        body = value.get("Std:JsonGet")
        if isinstance(body, dict) and isinstance(body.get("PropertyFile"), dict):
            ref = str(body["PropertyFile"].get("Get", ""))
            parts = ref.split(".")
            if len(parts) == 4 and parts[0] == "Steps" and parts[2] == "PropertyFiles":
                found.append((parts[1], parts[3], str(body.get("Path", ""))))
        for item in value.values():
            _json_gets(item, found)
    elif isinstance(value, list):
        for item in value:
            _json_gets(item, found)


def property_file_uses(definition_text: str) -> list[PropertyFileUse]:
    """Every declared property file of a definition, in step order, with its readers.

    Raises ``ValueError`` (the definition's problems) for a definition that does not parse.
    """
    try:
        graph = parse_definition(definition_text, lenient=True)
    except DefinitionError as exc:
        raise ValueError(str(exc)) from exc
    readers: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for step in graph.steps.values():
        found: list[tuple[str, str, str]] = []
        _json_gets(step.raw, found)
        for source, name, path in found:
            readers.setdefault((source, name), []).append((step.name, path))
    uses = []
    for step in graph.steps.values():
        for pf in step.property_files:
            base = render_expression(_output_uri(step.arguments, pf.output_name))
            location = (
                f"{base.rstrip('/')}/{pf.file_path}"
                if base
                else f"<output {pf.output_name}, not declared>/{pf.file_path}"
            )
            uses.append(
                PropertyFileUse(
                    step.name,
                    pf.name,
                    pf.output_name,
                    pf.file_path,
                    location,
                    readers.get((step.name, pf.name), []),
                )
            )
    return uses
