"""Recursive serializers: a serializer that nests a new copy of itself from `get_fields()`.

DRF builds a nested serializer's fields only when it has something to render, so a
tree serializer that adds `TreeSerializer(many=True)` to its own fields renders a
tree of any depth and stops at the leaves.
"""

import pytest
from django.urls import path

from restcycle import generics, serializers
from restcycle.test import APIClient
from tests.models import QpAuthor, QpPublisher

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class MenteeTreeSerializer(serializers.ModelSerializer):
    class Meta:
        model = QpAuthor
        fields = ["id", "name"]

    def get_fields(self):
        fields = super().get_fields()
        fields["mentees"] = MenteeTreeSerializer(many=True, required=False)
        return fields


class MentorChainSerializer(serializers.ModelSerializer):
    """The single-object form: each author with their mentor, up the chain."""

    class Meta:
        model = QpAuthor
        fields = ["id", "name"]

    def get_fields(self):
        fields = super().get_fields()
        fields["mentor"] = MentorChainSerializer(read_only=True)
        return fields


urlpatterns = [
    path(
        "tree/",
        generics.ListAPIView.as_view(
            queryset=QpAuthor.objects.filter(mentor=None).order_by("id"),
            serializer_class=MenteeTreeSerializer,
        ),
    ),
    path(
        "tree/<int:pk>/",
        generics.RetrieveAPIView.as_view(
            queryset=QpAuthor.objects.all(), serializer_class=MenteeTreeSerializer
        ),
    ),
    path(
        "chain/<int:pk>/",
        generics.RetrieveAPIView.as_view(
            queryset=QpAuthor.objects.all(), serializer_class=MentorChainSerializer
        ),
    ),
]


@pytest.fixture
def tree():
    """root -> (a -> (a1 -> a1x), b); a second root with no mentees."""
    house = QpPublisher.objects.create(name="House")

    def author(name, mentor=None):
        return QpAuthor.objects.create(name=name, publisher=house, mentor=mentor)

    root = author("root")
    a = author("a", root)
    a1 = author("a1", a)
    a1x = author("a1x", a1)
    b = author("b", root)
    loner = author("loner")
    return {"root": root, "a": a, "a1": a1, "a1x": a1x, "b": b, "loner": loner}


def node(author, mentees=()):
    return {"id": author.pk, "name": author.name, "mentees": list(mentees)}


def test_a_serializer_nesting_itself_renders_a_tree_to_its_leaves(tree):
    response = APIClient().get("/tree/")
    assert response.status_code == 200, response.content
    t = tree
    assert response.json() == [
        node(t["root"], [node(t["a"], [node(t["a1"], [node(t["a1x"])])]), node(t["b"])]),
        node(t["loner"]),
    ]


def test_a_recursive_serializer_renders_one_subtree(tree):
    t = tree
    response = APIClient().get(f"/tree/{t['a'].pk}/")
    assert response.status_code == 200, response.content
    assert response.json() == node(t["a"], [node(t["a1"], [node(t["a1x"])])])


def test_a_serializer_nesting_itself_once_follows_the_chain_until_none(tree):
    t = tree
    response = APIClient().get(f"/chain/{t['a1x'].pk}/")
    assert response.status_code == 200, response.content

    def link(author, mentor):
        return {"id": author.pk, "name": author.name, "mentor": mentor}

    assert response.json() == link(t["a1x"], link(t["a1"], link(t["a"], link(t["root"], None))))


def test_a_recursive_serializer_still_validates_nested_input(tree):
    serializer = MenteeTreeSerializer(
        data={"name": "new", "mentees": [{"name": "kid", "mentees": [{"name": ""}]}]}
    )
    assert not serializer.is_valid()
    assert serializer.errors["mentees"][0]["mentees"][0]["name"] == ["This field may not be blank."]


@pytest.mark.shadow_off("it counts its serializer's get_fields() calls itself")
def test_an_empty_nested_list_never_builds_its_childs_fields(monkeypatch):
    built = []
    original = MenteeTreeSerializer.get_fields

    def counting_get_fields(self):
        built.append(self)
        return original(self)

    monkeypatch.setattr(MenteeTreeSerializer, "get_fields", counting_get_fields)
    leaf = QpAuthor.objects.create(name="leaf", publisher=QpPublisher.objects.create(name="P"))
    assert APIClient().get(f"/tree/{leaf.pk}/").json()["mentees"] == []
    assert len(built) == 1  # the leaf's own fields; its empty list's child is never built
