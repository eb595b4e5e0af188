"""Login and logout views for the browsable API.

    path("api-auth/", include("rest_framework.urls"))

The namespace is "rest_framework" (`{% url 'rest_framework:login' %}`).
"""

from django.contrib.auth import views
from django.urls import path

app_name = "rest_framework"
urlpatterns = [
    path(
        "login/", views.LoginView.as_view(template_name="rest_framework/login.html"), name="login"
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
