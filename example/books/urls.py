from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("authors", views.AuthorViewSet)
router.register("tags", views.TagViewSet)
router.register("books", views.BookViewSet)
router.register("reviews", views.ReviewViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/stats/", views.StatsView.as_view(), name="stats"),
    path("api/ping/", views.PingView.as_view(), name="ping"),
    path("api/hello/", views.hello, name="hello"),
]
