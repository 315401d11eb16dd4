"""On SQLite, the search index stems English words as PostgreSQL's does: "assessments" finds "assessment".

Wagtail's SQLite backend keeps its words in an FTS5 table that wagtailsearch's migration 0006 makes with FTS5's
default tokenizer (unicode61, no stemming), and Wagtail has no option for another. FTS5's own ``porter`` tokenizer,
wrapped round the same unicode61, stems every word indexed and every word searched for. A tokenizer is fixed when an
FTS5 table is made, so the table is made again, under the same name and columns (the triggers that fill it from
wagtailsearch_indexentry name it by name and keep working), and filled again from the index entries. PostgreSQL and a
SQLite without FTS5 are left alone.
"""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
ENTRIES_TABLE = "wagtailsearch_indexentry"


def _remake_fts_table(schema_editor, tokenize):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(f"DROP TABLE {FTS_TABLE}")
        cursor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(autocomplete, body, title{tokenize})")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body, autocomplete) "
            f"SELECT id, title, body, autocomplete FROM {ENTRIES_TABLE}"
        )


def stem_english_words(apps, schema_editor):
    _remake_fts_table(schema_editor, ", tokenize = 'porter unicode61'")


def stop_stemming(apps, schema_editor):
    _remake_fts_table(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0016_portal_settings_help_page"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stem_english_words, stop_stemming)]
