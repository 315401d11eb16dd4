from wagtail import hooks

from cms.cache import request_is_cacheable, response_is_cacheable

hooks.register("is_request_cacheable", request_is_cacheable)
hooks.register("is_response_cacheable", response_is_cacheable)
