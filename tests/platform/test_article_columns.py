"""Every column a service stores an article in holds the longest article a profile may name
(the kit's ARTICLE_MAX_CHARS, checked when a profile loads)."""

import importlib

import pytest
from sqlalchemy import String

from govit_kit.platform import SERVICES
from govit_kit.policy.profile import ARTICLE_MAX_CHARS


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_article_columns_hold_the_longest_article_a_profile_may_name(service):
    spec = importlib.import_module(f"{service}.main").spec()
    short = [
        f"{table.name}.{column.name} String({column.type.length})"
        for table in spec.metadata.tables.values()
        for column in table.columns
        if (column.name == "article" or column.name.endswith("_article"))
        and isinstance(column.type, String)
        and column.type.length is not None
        and column.type.length < ARTICLE_MAX_CHARS
    ]
    assert short == [], f"{service}: article columns narrower than {ARTICLE_MAX_CHARS}: {short}"
