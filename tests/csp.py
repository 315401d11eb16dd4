"""Read a Content-Security-Policy header as its directives, whatever order django-csp writes them in."""


def csp_directives(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives
