"""Permission policies: may this request (and this object) go ahead?

A view asks each permission in `permission_classes`: `has_permission(request, view)`
before the handler runs, `has_object_permission(request, view, obj)` when it fetches
one object. The first one to say no ends the cycle with 401 or 403 (see
`APIView.permission_denied`); its `message` and `code`, when it has them, become the
response's detail. Permission classes compose with `&`, `|` and `~`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from . import exceptions

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


# ---------------------------------------------------------------------------
# Composition: `IsAuthenticated & (IsOwner | IsAdminUser)`, `~IsBanned`
# ---------------------------------------------------------------------------


class OperationHolderMixin:
    """Gives `&`, `|` and `~` to permission classes and to composed permissions alike."""

    def __and__(self, other: Any) -> OperandHolder:
        return OperandHolder(AND, self, other)

    def __or__(self, other: Any) -> OperandHolder:
        return OperandHolder(OR, self, other)

    def __rand__(self, other: Any) -> OperandHolder:
        return OperandHolder(AND, other, self)

    def __ror__(self, other: Any) -> OperandHolder:
        return OperandHolder(OR, other, self)

    def __invert__(self) -> SingleOperandHolder:
        return SingleOperandHolder(NOT, self)


class SingleOperandHolder(OperationHolderMixin):
    """A not-yet-instantiated `~Operand`; calling it builds the permission instance."""

    def __init__(self, operator_class: type, op1_class: Any):
        self.operator_class = operator_class
        self.op1_class = op1_class

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.operator_class(self.op1_class(*args, **kwargs))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SingleOperandHolder)
            and self.operator_class == other.operator_class
            and self.op1_class == other.op1_class
        )

    def __hash__(self) -> int:
        return hash((self.operator_class, self.op1_class))

    def __repr__(self) -> str:
        return f"{self.operator_class.__name__}({_operand_name(self.op1_class)})"


class OperandHolder(OperationHolderMixin):
    """A not-yet-instantiated `A & B` or `A | B`; calling it builds the permission instance."""

    def __init__(self, operator_class: type, op1_class: Any, op2_class: Any):
        self.operator_class = operator_class
        self.op1_class = op1_class
        self.op2_class = op2_class

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.operator_class(self.op1_class(*args, **kwargs), self.op2_class(*args, **kwargs))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, OperandHolder)
            and self.operator_class == other.operator_class
            and self.op1_class == other.op1_class
            and self.op2_class == other.op2_class
        )

    def __hash__(self) -> int:
        return hash((self.operator_class, self.op1_class, self.op2_class))

    def __repr__(self) -> str:
        return (
            f"{self.operator_class.__name__}"
            f"({_operand_name(self.op1_class)}, {_operand_name(self.op2_class)})"
        )


def _operand_name(operand: Any) -> str:
    return operand.__name__ if isinstance(operand, type) else repr(operand)


class _Composed:
    """Shared by AND/OR/NOT: `message` and `code` come from the operand that said no.

    A composed permission is instantiated per request (as every permission is), so
    remembering which operand refused during the check is safe.
    """

    _refused_by: Any = None

    def _refuse(self, operand: Any) -> bool:
        if self._refused_by is None:
            self._refused_by = operand
        return False

    @property
    def message(self) -> Any:
        return getattr(self._refused_by, "message", None)

    @property
    def code(self) -> Any:
        return getattr(self._refused_by, "code", None)


def _defines(operand: Any, attribute: str) -> bool:
    return getattr(operand, attribute, None) is not None


class AND(_Composed):
    """Both operands must allow; the first one that refuses names the reason."""

    def __init__(self, op1: Any, op2: Any):
        self.op1 = op1
        self.op2 = op2

    def has_permission(self, request: Any, view: Any) -> bool:
        self._refused_by = None
        for operand in (self.op1, self.op2):
            if not operand.has_permission(request, view):
                return self._refuse(operand)
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        self._refused_by = None
        for operand in (self.op1, self.op2):
            if not operand.has_object_permission(request, view, obj):
                return self._refuse(operand)
        return True


class OR(_Composed):
    """Either operand may allow. When both refuse, the first that explains why names it.

    The object check asks each operand for both its view-level and its object-level
    permission, so `A | B` never grants an object through A's object check when A
    refused the request as a whole.
    """

    def __init__(self, op1: Any, op2: Any):
        self.op1 = op1
        self.op2 = op2

    def has_permission(self, request: Any, view: Any) -> bool:
        self._refused_by = None
        if self.op1.has_permission(request, view) or self.op2.has_permission(request, view):
            return True
        return self._refuse(self._explaining_operand())

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        self._refused_by = None
        for operand in (self.op1, self.op2):
            if operand.has_permission(request, view) and operand.has_object_permission(
                request, view, obj
            ):
                return True
        return self._refuse(self._explaining_operand())

    def _explaining_operand(self) -> Any:
        if not _defines(self.op1, "message") and _defines(self.op2, "message"):
            return self.op2
        return self.op1


class NOT(_Composed):
    """Inverts its operand. The operand's own message would say the opposite: none is given."""

    def __init__(self, op1: Any):
        self.op1 = op1

    def has_permission(self, request: Any, view: Any) -> bool:
        return not self.op1.has_permission(request, view)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return not self.op1.has_object_permission(request, view, obj)


# ---------------------------------------------------------------------------
# The permission classes
# ---------------------------------------------------------------------------


class BasePermissionMetaclass(OperationHolderMixin, type):
    """Lets the classes themselves be composed: `IsAuthenticated | ReadOnly`."""


class BasePermission(metaclass=BasePermissionMetaclass):
    """Allows everything; subclasses override one or both checks."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return True


class AllowAny(BasePermission):
    """No restriction. Same as an empty `permission_classes`, but says so."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return True


class IsAuthenticated(BasePermission):
    """Only authenticated users."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


class IsAdminUser(BasePermission):
    """Only staff users (`user.is_staff`)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_staff)


class IsAuthenticatedOrReadOnly(BasePermission):
    """Anyone may read (GET, HEAD, OPTIONS); only authenticated users may write."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(
            request.method in SAFE_METHODS or (request.user and request.user.is_authenticated)
        )


_MODEL_PERMS_MAP = {
    "GET": [],
    "OPTIONS": [],
    "HEAD": [],
    "POST": ["%(app_label)s.add_%(model_name)s"],
    "PUT": ["%(app_label)s.change_%(model_name)s"],
    "PATCH": ["%(app_label)s.change_%(model_name)s"],
    "DELETE": ["%(app_label)s.delete_%(model_name)s"],
}


def _model_perms_map() -> dict[str, list[str]]:
    """A fresh copy per class, so that editing one class's map leaves the other's alone."""
    return {method: list(perms) for method, perms in _MODEL_PERMS_MAP.items()}


class DjangoModelPermissions(BasePermission):
    """Django's model permissions (`django.contrib.auth`) for the view's queryset model.

    POST needs `add`, PUT/PATCH `change`, DELETE `delete`; reads need only
    authentication. Override `perms_map` to require e.g. `view` for GET. A method
    missing from `perms_map` is answered with 405.
    """

    perms_map: dict[str, list[str]] = _model_perms_map()
    authenticated_users_only = True

    def get_required_permissions(self, method: str, model_cls: Any) -> list[str]:
        """The permission codes `method` needs on `model_cls`."""
        names = {
            "app_label": model_cls._meta.app_label,
            "model_name": model_cls._meta.model_name,
        }
        if method not in self.perms_map:
            raise exceptions.MethodNotAllowed(method)
        return [perm % names for perm in self.perms_map[method]]

    def _queryset(self, view: Any) -> Any:
        has_getter = hasattr(view, "get_queryset")
        assert has_getter or getattr(view, "queryset", None) is not None, (
            f"Cannot apply {self.__class__.__name__} on a view that does not set "
            "`.queryset` or have a `.get_queryset()` method."
        )
        if has_getter:
            queryset = view.get_queryset()
            assert queryset is not None, f"{view.__class__.__name__}.get_queryset() returned None"
            return queryset
        return view.queryset

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or (self.authenticated_users_only and not user.is_authenticated):
            return False
        # The DefaultRouter's root view has no queryset to take a model from.
        if getattr(view, "_ignore_model_permissions", False):
            return True
        queryset = self._queryset(view)
        return user.has_perms(self.get_required_permissions(request.method, queryset.model))


class DjangoModelPermissionsOrAnonReadOnly(DjangoModelPermissions):
    """As DjangoModelPermissions, but anonymous users may read."""

    authenticated_users_only = False


class DjangoObjectPermissions(DjangoModelPermissions):
    """Per-object permissions, through an object-permission backend (e.g. django-guardian).

    The model-level check still applies first. When the object check fails, a user
    who may not even read the object gets 404, so that its existence is not revealed;
    one who may read it gets 403.
    """

    perms_map: dict[str, list[str]] = _model_perms_map()

    def get_required_object_permissions(self, method: str, model_cls: Any) -> list[str]:
        """The object permission codes `method` needs on an instance of `model_cls`."""
        names = {
            "app_label": model_cls._meta.app_label,
            "model_name": model_cls._meta.model_name,
        }
        if method not in self.perms_map:
            raise exceptions.MethodNotAllowed(method)
        return [perm % names for perm in self.perms_map[method]]

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        model_cls = self._queryset(view).model
        user = request.user
        if user.has_perms(self.get_required_object_permissions(request.method, model_cls), obj):
            return True
        if request.method in SAFE_METHODS:
            raise Http404
        read_perms = self.get_required_object_permissions("GET", model_cls)
        if not user.has_perms(read_perms, obj):
            raise Http404
        return False
