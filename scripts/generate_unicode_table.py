"""Regenerate ``mock_sagemaker_pipelines/validation/unicode_categories.json``.

Run from the repository root with the project's virtualenv active, after a Python upgrade that
changes :data:`unicodedata.unidata_version`::

    python scripts/generate_unicode_table.py
"""

from mock_sagemaker_pipelines.validation import unicode_table

if __name__ == "__main__":
    unicode_table.main()
