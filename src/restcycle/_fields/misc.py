"""Files, and fields that are not plain conversions: read-only, hidden, method and model fields."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db.models.fields import Field as DjangoModelField
from django.forms import ImageField as DjangoImageField
from django.utils.encoding import is_protected_type
from django.utils.translation import gettext_lazy as _

from ..exceptions import ValidationError
from ..settings import api_settings
from .base import Field, empty, lazy_format


class FileField(Field):
    """An uploaded file in; its URL (absolute when there is a request) or name out."""

    default_error_messages = {
        "required": _("No file was submitted."),
        "invalid": _("The submitted data was not a file. Check the encoding type on the form."),
        "no_name": _("No filename could be determined."),
        "empty": _("The submitted file is empty."),
        "max_length": _(
            "Ensure this filename has at most {max_length} characters (it has {length})."
        ),
    }

    def __init__(self, *, max_length: int | None = None, allow_empty_file: bool = False, **kwargs):
        self.max_length, self.allow_empty_file = max_length, allow_empty_file
        if "use_url" in kwargs:  # else the class attribute, or UPLOADED_FILES_USE_URL
            self.use_url = kwargs.pop("use_url")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        """An uploaded file: anything with a non-empty name (and content, unless allowed)."""
        try:
            name, size = data.name, data.size
        except AttributeError:
            self.fail("invalid")
        if not name:
            self.fail("no_name")
        if not (size or self.allow_empty_file):
            self.fail("empty")
        if self.max_length and len(name) > self.max_length:
            self.fail("max_length", max_length=self.max_length, length=len(name))
        return data

    def to_representation(self, value: Any) -> Any:
        """The file's URL (absolute when there is a request), or its name without use_url."""
        if not value:
            return None
        if not getattr(self, "use_url", api_settings.UPLOADED_FILES_USE_URL):
            return value.name
        try:
            url = value.url
        except AttributeError:
            return None  # a storage without URLs: nothing to link to
        request = self.context.get("request")
        return url if request is None else request.build_absolute_uri(url)


class ImageField(FileField):
    """A FileField whose content must be an image (checked by Django's form field; Pillow)."""

    default_error_messages = {
        "invalid_image": _(
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image."
        ),
    }

    def __init__(self, **kwargs: Any):
        self._DjangoImageField = kwargs.pop("_DjangoImageField", DjangoImageField)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        file_object = super().to_internal_value(data)
        checker = self._DjangoImageField()
        checker.error_messages = self.error_messages
        return checker.clean(file_object)


class ReadOnlyField(Field):
    """Outputs the attribute as it is; never written."""

    # to_representation is the identity for every value; these are the JSON-ready ones.
    _output_is_identity_for = (str, int, float, bool, dict, list)

    def __init__(self, **kwargs: Any):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        """The value unchanged."""
        return value


class HiddenField(Field):
    """Always its `default` (e.g. CurrentUserDefault()); never read from input, never output."""

    def __init__(self, **kwargs: Any):
        assert "default" in kwargs, "default is a required argument."
        kwargs["write_only"] = True
        super().__init__(**kwargs)

    def get_value(self, dictionary: Any) -> Any:
        return empty

    def to_internal_value(self, data: Any) -> Any:
        return data


class SerializerMethodField(Field):
    """Output computed by the serializer's `get_<field_name>(obj)` (or `method_name`)."""

    def __init__(self, method_name: str | None = None, **kwargs: Any):
        self.method_name = method_name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        if self.method_name is None:
            self.method_name = f"get_{field_name}"
        super().bind(field_name, parent)

    def to_representation(self, value: Any) -> Any:
        return getattr(self.parent, self.method_name)(value)


class ModelField(Field):
    """Any Django model field, converted the way the model field itself does it.

    It reads the whole instance (to call `value_from_object`) and outputs the model
    field's text form unless the value is a protected type (numbers, dates...).
    """

    default_error_messages = {
        "max_length": _("Ensure this field has no more than {max_length} characters."),
    }

    def __init__(self, model_field: DjangoModelField, **kwargs: Any):
        self.model_field = model_field
        self.max_length = kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        if self.max_length is not None:
            message = lazy_format(self.error_messages["max_length"], max_length=self.max_length)
            self.validators.append(MaxLengthValidator(self.max_length, message=message))

    def to_internal_value(self, data: Any) -> Any:
        remote = self.model_field.remote_field
        field = self.model_field
        if remote is not None:
            field = remote.model._meta.get_field(remote.field_name)
        try:
            return field.to_python(data)
        except OverflowError:
            # An integer field given a float infinity (JSON's 1e999): Django's own
            # "invalid" error, as for any other value that is not an integer.
            message = field.error_messages.get("invalid", _("Invalid value."))
            raise ValidationError(str(message) % {"value": data}, code="invalid") from None

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, obj: Any) -> Any:
        value = self.model_field.value_from_object(obj)
        if is_protected_type(value):
            return value
        return self.model_field.value_to_string(obj)
