"""Forward migrations: MIGRATIONS[n] takes a store from schema version n to n + 1 (PRAGMA user_version)."""

MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL,
        kind TEXT NOT NULL,
        content TEXT NOT NULL,
        hints TEXT NOT NULL,
        article TEXT NOT NULL,
        status TEXT NOT NULL,
        published TEXT,
        outlet TEXT,
        title TEXT
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, body);
    CREATE TABLE skipped (origin TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        start TEXT,
        end TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id),
        score REAL NOT NULL,
        PRIMARY KEY (story_id, article_id)
    );
    CREATE TABLE digests (
        story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
        data TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE analyses (
        article_id TEXT NOT NULL REFERENCES articles(id),
        key TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (article_id, key)
    );
    """,
    """
    -- basis: a hash of what a story's digest is made from; a digest is fresh while the two are equal
    ALTER TABLE stories ADD COLUMN basis TEXT NOT NULL DEFAULT '';
    ALTER TABLE digests ADD COLUMN basis TEXT NOT NULL DEFAULT '';
    CREATE TABLE reuse_sketches (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        data BLOB NOT NULL
    );
    CREATE TABLE reuse_groups (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    """,
]
