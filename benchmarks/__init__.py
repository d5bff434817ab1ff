"""Code behind the benchmark scripts in scripts/; never installed, never used in production.

The scripts put the repository root on sys.path, as they do for devserver/, and import from here.
"""
