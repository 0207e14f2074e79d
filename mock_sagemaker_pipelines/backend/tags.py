"""AddTags, ListTags and DeleteTags on pipeline and pipeline-execution ARNs.

Tags on any other ARN stay moto's (the response layer routes by :meth:`TagActions.owns_arn`).
At most 50 tags per resource; a tag with an existing key replaces it.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import ValidationException
from .common import EXECUTION_ARN, PIPELINE_ARN, page_result, paginate
from .core import BackendCore


class TagActions(BackendCore):
    """The tag actions on pipelines and executions."""

    def owns_arn(self, arn: str) -> bool:
        """Whether ``arn`` is a pipeline or pipeline-execution ARN (tags on it are ours)."""
        return bool(PIPELINE_ARN.match(arn) or EXECUTION_ARN.match(arn))

    def _taggable(self, arn: str) -> list[dict[str, str]]:
        if EXECUTION_ARN.match(arn):
            execution = self.get_execution(arn)
            return execution.tags
        return self.get_pipeline(arn).tags

    def add_tags(self, arn: str, tags: list[dict[str, str]]) -> list[dict[str, str]]:
        """AddTags on a pipeline or execution ARN: a tag with an existing key replaces it (max 50)."""
        current = self._taggable(arn)
        merged = {t["Key"]: t.get("Value", "") for t in current}
        for tag in tags:
            merged[tag["Key"]] = tag.get("Value", "")
        if len(merged) > 50:
            raise ValidationException(
                f"Resource {arn} would have {len(merged)} tags; the maximum is 50."
            )
        current[:] = [{"Key": k, "Value": v} for k, v in merged.items()]
        return list(tags)

    def list_tags(
        self, arn: str, next_token: str | None, max_results: int | None
    ) -> dict[str, Any]:
        """ListTags on a pipeline or execution ARN."""
        page, token = paginate(self._taggable(arn), max_results, next_token)
        return page_result("Tags", page, token)

    def delete_tags(self, arn: str, keys: list[str]) -> None:
        """DeleteTags on a pipeline or execution ARN."""
        current = self._taggable(arn)
        current[:] = [t for t in current if t["Key"] not in set(keys)]
