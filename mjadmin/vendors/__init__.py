"""One folder per vendor, each holding everything that knows that vendor: its client calls and
the header its key travels in, the parsing of its JSON into the typed records of records.py, its
status table, its key's kind (form field, validation) and its settings. registry.py says which
vendors exist and what each can do; the features ask the registry (docs/architecture.md)."""
