from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '404.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', '404.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<h1 class="page-title">Page not found</h1>\n<p>Nothing lives at this address. Try the <a href="'
    yield escape(t_1('/'))
    yield '">latest notes</a>, the <a href="'
    yield escape(t_1(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'tags')))
    yield '">tags</a> or the <a href="'
    yield escape(t_1(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'archive')))
    yield '">archive</a>.</p>\n'

blocks = {'content': block_content}
debug_info = '1=12&2=17&4=33'