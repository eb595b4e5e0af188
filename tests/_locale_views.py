"""Views the locale tests ask in each language: a 404, a 401, a 400 with field limits,
a 429 whose wait comes from the query string."""

from restcycle import exceptions, serializers
from restcycle.authentication import BasicAuthentication
from restcycle.permissions import IsAuthenticated
from restcycle.response import Response
from restcycle.throttling import BaseThrottle
from restcycle.views import APIView


class ShelfView(APIView):
    """Knows only shelf 1; any other shelf is a 404 with the framework's own message."""

    authentication_classes = []
    permission_classes = []

    def get(self, request, pk):
        if pk != 1:
            raise exceptions.NotFound()
        return Response({"shelf": pk})


class PrivateView(APIView):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.username})


class ReadOnlyView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response({"ok": True})


class BookingSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=20)
    seats = serializers.IntegerField(min_value=1)


class BookingView(APIView):
    authentication_classes = []
    permission_classes = []

    def post(self, request):
        serializer = BookingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class AlwaysThrottled(BaseThrottle):
    """Refuses every request; the wait comes from the `wait` query parameter."""

    def allow_request(self, request, view):
        self.seconds = float(request.query_params.get("wait", "30"))
        return False

    def wait(self):
        return self.seconds


class ThrottledView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [AlwaysThrottled]

    def get(self, request):
        return Response({"ok": True})
