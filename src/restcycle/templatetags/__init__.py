"""Template tag libraries of the browsable API (`{% load rest_framework %}`)."""
