"""Stories: group articles into real-world events (online clustering plus a final merge/split pass)."""

from storylens.stories.batch import group_stories
from storylens.stories.stream import StoryStream, story_id_for

__all__ = ["StoryStream", "group_stories", "story_id_for"]
