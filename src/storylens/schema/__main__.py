from storylens.schema import write_schema

print(f"wrote {write_schema()}")
