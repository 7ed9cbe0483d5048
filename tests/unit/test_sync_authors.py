"""Profiles -> content/authors/<slug>.md: the file format (the build's interface) and the
validation of untrusted profile rows."""

from __future__ import annotations

import pytest

from sitegen.errors import ContentError
from sitegen.sync.authors import RemoteProfile, author_file_text
from sitegen.sync.mapping import validate_row


def profile(**changes: object) -> RemoteProfile:
    fields = {"slug": "ada", "name": "Ada Lovelace", "bio": "", "avatar": None, **changes}
    return validate_row(RemoteProfile, fields, "remote profiles/ada")


def test_an_author_file_has_name_bio_and_a_site_relative_avatar():
    text = author_file_text(profile(bio="Writes: about engines.", avatar="authors/ada.png"))
    assert text == (
        "---\nname: Ada Lovelace\nbio: 'Writes: about engines.'\n"
        "avatar: /media/authors/ada.png\n---\n"
    )


def test_empty_bio_and_no_avatar_are_left_out_and_odd_names_survive_yaml():
    import yaml

    name = 'Zoë: "the" #1 --- author\n'
    text = author_file_text(profile(name=name))
    front = text.removeprefix("---\n").removesuffix("---\n")
    assert yaml.safe_load(front) == {"name": name}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "../etc"}, "slug"),
        ({"slug": "ada\n"}, "slug"),
        ({"slug": "a/b"}, "slug"),
        ({"avatar": "../../.ssh/id_rsa"}, "avatar"),
        ({"avatar": "/etc/passwd"}, "avatar"),
        ({"name": ""}, "name"),
        ({"bio": 3}, "bio"),
    ],
)
def test_hostile_profiles_are_rejected_naming_the_field(changes, field):
    with pytest.raises(ContentError) as caught:
        profile(**changes)
    assert caught.value.field == field
    assert caught.value.file == "remote profiles/ada"
