"""Name search by an index of two-character pieces (docs/architecture.md §6; issue 17).

Chinese names are searched by substrings of two or more characters. The trigram index cannot
serve a two-character LIKE (it has no whole trigram to look up) and the old query's
UPPER(search_names) LIKE ... no index at all, so every search read the register. This index
holds each name's two-character pieces (``registry_bigrams``, an IMMUTABLE SQL function, so
PostgreSQL may index it); a search asks for names holding all of the query's pieces, then
checks the substring on those rows only.
"""

import django.contrib.postgres.indexes
import django.db.models.expressions
from django.db import migrations

import registry.models

FUNCTION = """
CREATE OR REPLACE FUNCTION registry_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), ARRAY[]::text[])
    FROM generate_series(1, char_length(t) - 1) AS i
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_restoration_support")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS registry_bigrams(text);"),
        migrations.AddIndex(
            model_name="marketentity",
            index=django.contrib.postgres.indexes.GinIndex(
                registry.models.Bigrams(django.db.models.expressions.F("search_names")),
                name="entity_search_bigram",
            ),
        ),
    ]
