"""Pipeline version aliases: the rules the service applies to ``PipelineVersionAliases``.

An alias names one version of a pipeline (``prod``, ``staging``) and can stand in for a
``PipelineVersionId`` in DescribePipeline, StartPipelineExecution and ListPipelineExecutions.
The rules come from the botocore 1.44 model's documentation of ``PipelineVersionAliases``,
``AliasOperations`` and ``PipelineVersionAlias`` and from the Developer Guide page "Pipeline
version aliases" (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-version-aliases.html):

- an alias has 1-128 letters, digits, ``.``, ``-`` and ``_`` (the model's pattern, checked by
  the request validation) and "can't consist of numbers only" (checked here);
- an alias is unique within the pipeline: it points to one version at a time, and moving it
  means removing it from its version first (ConflictException otherwise);
- a version has at most 10 aliases; an alias can't be both added and removed in one request;
- ``PipelineVersionAlias`` can't be given with ``PipelineVersionId``; an alias no version has
  is ResourceNotFound.

Every check runs before any state changes, so a refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..exceptions import ConflictException, ResourceNotFound, ValidationException
from .records import Pipeline, PipelineVersion

#: The most aliases one version can carry (model: ``PipelineVersionAliasList`` max 10, and
#: AliasOperations "After the update, the version can have up to 10 aliases").
MAX_ALIASES_PER_VERSION = 10


def check_alias_names(aliases: Iterable[str], member: str) -> list[str]:
    """The aliases of a request member as a list; ValidationException for numeric-only or repeated ones."""
    seen: list[str] = []
    for alias in aliases:
        if alias.isdigit():
            raise ValidationException(
                f"Invalid alias '{alias}' in {member}: a pipeline version alias can't consist "
                "of numbers only."
            )
        if alias in seen:
            raise ValidationException(f"Alias '{alias}' appears more than once in {member}.")
        seen.append(alias)
    return seen


def check_free(
    pipeline: Pipeline, aliases: Iterable[str], target: PipelineVersion | None
) -> None:
    """ConflictException if any alias is on a version of ``pipeline`` other than ``target``."""
    for alias in aliases:
        owner = pipeline.alias_owner(alias)
        if owner is not None and owner is not target:
            raise ConflictException(
                f"Alias '{alias}' is already assigned to version {owner.version_id} of pipeline "
                f"{pipeline.arn}. Remove it from that version with UpdatePipelineVersion before "
                "you assign it to another version."
            )


def version_for(
    pipeline: Pipeline, version_id: int | None, alias: str | None
) -> PipelineVersion:
    """The version a request names by ``PipelineVersionId`` or ``PipelineVersionAlias`` (latest if neither).

    ValidationException when both are given; ResourceNotFound for an unknown id or an alias
    that no version has.
    """
    if alias is None:
        return pipeline.version(version_id)
    if version_id is not None:
        raise ValidationException(
            "You can't specify both PipelineVersionId and PipelineVersionAlias."
        )
    owner = pipeline.alias_owner(alias)
    if owner is None:
        raise ResourceNotFound(
            f"No version of pipeline {pipeline.arn} has the alias '{alias}'."
        )
    return owner


def apply_operations(
    pipeline: Pipeline,
    version: PipelineVersion,
    add: list[str] | None,
    remove: list[str] | None,
) -> list[str]:
    """The version's aliases after UpdatePipelineVersion's ``PipelineVersionAliasOperations``.

    Checks everything first and returns the new list; the caller assigns it. ValidationException
    for an alias in both lists, removing an alias the version does not have, or more than 10
    aliases after the update; ConflictException for adding an alias another version has.
    """
    to_add = check_alias_names(add or [], "PipelineVersionAliasOperations.Add")
    to_remove = check_alias_names(remove or [], "PipelineVersionAliasOperations.Remove")
    both = sorted(set(to_add) & set(to_remove))
    if both:
        raise ValidationException(
            f"An alias can't appear in both Add and Remove: {', '.join(both)}."
        )
    for alias in to_remove:
        if alias not in version.aliases:
            raise ValidationException(
                f"Version {version.version_id} of pipeline {pipeline.arn} doesn't have the "
                f"alias '{alias}'."
            )
    check_free(pipeline, to_add, version)
    result = [a for a in version.aliases if a not in to_remove]
    result += [a for a in to_add if a not in result]
    if len(result) > MAX_ALIASES_PER_VERSION:
        raise ValidationException(
            f"A pipeline version can have up to {MAX_ALIASES_PER_VERSION} aliases; version "
            f"{version.version_id} would have {len(result)}."
        )
    return result
