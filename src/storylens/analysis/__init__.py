"""Per-article analysis: sentences, entities, quotes, time expressions and the timeline."""
