from django.contrib import admin
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("", include("books.urls")),
    path("api/token/", obtain_auth_token, name="api-token"),
    path("api-auth/", include("rest_framework.urls")),
    path("admin/", admin.site.urls),
]
