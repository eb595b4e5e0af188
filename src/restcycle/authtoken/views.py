"""`obtain_auth_token`: POST a username and password, get back `{"token": key}`."""

from __future__ import annotations

from typing import Any

from .. import parsers, renderers
from ..response import Response
from ..views import APIView
from .models import issue_token
from .serializers import AuthTokenSerializer


class ObtainAuthToken(APIView):
    """Returns the user's token, creating it on first use. Subclass to return more.

    With HASHED_TOKENS, a token stored hashed cannot be shown again: each call then
    replaces it with a new one (see `issue_token`).
    """

    throttle_classes = ()
    permission_classes = ()
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser)
    renderer_classes = (renderers.JSONRenderer,)
    serializer_class = AuthTokenSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {"request": self.request, "format": self.format_kwarg, "view": self}

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["context"] = self.get_serializer_context()
        return self.serializer_class(*args, **kwargs)

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = issue_token(user)
        return Response({"token": token.shown_key})


obtain_auth_token = ObtainAuthToken.as_view()
