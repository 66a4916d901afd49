"""Reading dumps and corpus files, writing results: the only package that touches disk."""
from pipeline.io.readers import read_dump, read_records
from pipeline.io.writers import open_writer, write_rows

__all__ = ["read_dump", "read_records", "open_writer", "write_rows"]
