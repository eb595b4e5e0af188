"""Small API views the serializer tests drive through the test client.

Each view takes its serializer class from the URL pattern's kwargs, so one module's
`urlpatterns` can expose several serializers with the same view code.
"""

from restcycle import status
from restcycle.response import Response
from restcycle.views import APIView


class SerializerListView(APIView):
    """GET: the queryset through `serializer_class(many=True)`; POST: validate and save."""

    serializer_class = None
    queryset = None
    many_post = False

    def get(self, request):
        serializer = self.serializer_class(
            self.queryset.all(), many=True, context={"request": request}
        )
        return Response(serializer.data)

    def post(self, request):
        serializer = self.serializer_class(
            data=request.data, many=self.many_post, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class SerializerDetailView(APIView):
    """GET one object; PUT/PATCH validate against it and save."""

    serializer_class = None
    queryset = None

    def get_object(self, pk):
        return self.queryset.get(pk=pk)

    def get(self, request, pk):
        serializer = self.serializer_class(self.get_object(pk), context={"request": request})
        return Response(serializer.data)

    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, partial):
        serializer = self.serializer_class(
            self.get_object(pk), data=request.data, partial=partial, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)
