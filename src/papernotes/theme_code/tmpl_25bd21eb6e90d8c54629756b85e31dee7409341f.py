from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'tags.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'tags.html')
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
    l_0_tags = resolve('tags')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_3 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<h1 class="page-title">Tags</h1>\n'
    if (undefined(name='tags') if l_0_tags is missing else l_0_tags):
        pass
        yield '<ul class="tag-cloud">\n'
        for l_1_group in (undefined(name='tags') if l_0_tags is missing else l_0_tags):
            _loop_vars = {}
            pass
            yield '  <li><a class="tag" href="'
            yield escape(t_3(environment.getattr(environment.getattr(l_1_group, 'tag'), 'url')))
            yield '">#'
            yield escape(environment.getattr(environment.getattr(l_1_group, 'tag'), 'name'))
            yield '</a> <span class="count" title="'
            yield escape(t_2(t_1(environment.getattr(l_1_group, 'notes')), 'note'))
            yield '">'
            yield escape(t_1(environment.getattr(l_1_group, 'notes')))
            yield '</span></li>\n'
        l_1_group = missing
        yield '</ul>\n'
    else:
        pass
        yield '<p class="empty">No tags yet.</p>'

blocks = {'content': block_content}
debug_info = '1=12&2=17&4=45&6=48&7=52'