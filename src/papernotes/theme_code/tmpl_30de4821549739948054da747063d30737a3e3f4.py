from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'redirect.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_note = resolve('note')
    try:
        t_1 = environment.filters['absolute_url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'absolute_url' found.")
    try:
        t_2 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<!doctype html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'))
    yield '">\n<head>\n<meta charset="utf-8">\n<title>'
    yield escape(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'title'))
    yield ' · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</title>\n<link rel="canonical" href="'
    yield escape(t_1(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'url')))
    yield '">\n<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url='
    yield escape(t_2(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'url')))
    yield '">\n</head>\n<body>\n<p>This note has moved to <a href="'
    yield escape(t_2(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'url')))
    yield '">'
    yield escape(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'title'))
    yield '</a>.</p>\n</body>\n</html>\n'

blocks = {}
debug_info = '2=26&5=28&6=32&8=34&11=36'