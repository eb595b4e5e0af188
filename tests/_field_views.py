"""Plain Django views that put one serializer field on the request path, for the field tests.

`input_view(field)` reads the field's value out of a JSON or form body (as a
serializer does: `get_value`, then `run_validation`) and answers 200 with the
converted value and its representation, or 400 with the field's errors and codes.
`output_view(field, load)` serializes `load(key)` (get_attribute, then
to_representation), so output is checked on real rows from the database.
"""

import copy
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from restcycle.exceptions import ValidationError
from restcycle.fields import SkipField


class FieldHolder:
    """Stands in for a serializer as the bound field's parent (root)."""

    def __init__(self, field, *, partial=False, instance=None, context=None):
        self.parent = None
        self.partial = partial
        self.instance = instance
        self._context = context or {}
        self.field = copy.deepcopy(field)
        self.field.bind("value", self)


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (set, frozenset)):
            return sorted(o, key=repr)
        if isinstance(o, bytes):
            return o.decode()
        return super().default(o)


def _respond(payload, status=200):
    return JsonResponse(payload, status=status, encoder=_Encoder)


def _request_data(request):
    if request.content_type == "application/json":
        return json.loads(request.body or b"{}")
    merged = request.POST.copy()
    for key, files in request.FILES.lists():
        merged.setlist(key, files)
    return merged


def input_view(field, *, partial=False, context=None, output=True):
    """`output=False` for fields that are never output (write-only, or reading whole rows)."""

    @csrf_exempt
    def view(request):
        extra = {"request": request} if context is None else dict(context, request=request)
        holder = FieldHolder(field, partial=request.GET.get("partial") == "1" or partial,
                             context=extra)  # fmt: skip
        bound = holder.field
        try:
            value = bound.run_validation(bound.get_value(_request_data(request)))
        except SkipField:
            return _respond({"skipped": True})
        except ValidationError as exc:
            return _respond({"errors": exc.detail, "codes": exc.get_codes()}, status=400)
        shown = None if value is None or not output else bound.to_representation(value)
        return _respond({"value": shown, "python": repr(value), "type": type(value).__name__})

    return view


def output_view(field, load):
    def view(request, key):
        holder = FieldHolder(field, context={"request": request})
        bound = holder.field
        instance = load(key)
        try:
            attribute = bound.get_attribute(instance)
        except SkipField:
            return _respond({"skipped": True})
        output = None if attribute is None else bound.to_representation(attribute)
        return _respond({"value": output, "type": type(output).__name__})

    return view
