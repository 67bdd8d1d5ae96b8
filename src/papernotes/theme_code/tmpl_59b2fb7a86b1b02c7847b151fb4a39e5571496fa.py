from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'shelves.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'shelves.html')
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
    l_0_title = resolve('title')
    l_0_shelves = resolve('shelves')
    l_0_kind = resolve('kind')
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
    yield '<h1 class="page-title">'
    yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
    yield '</h1>\n<p class="lede">'
    yield escape(t_2(t_1((undefined(name='shelves') if l_0_shelves is missing else l_0_shelves)), (undefined(name='kind') if l_0_kind is missing else l_0_kind)[:(-1)], (undefined(name='kind') if l_0_kind is missing else l_0_kind)))
    yield ' of the papers discussed in these notes.</p>\n<ul class="shelf-list">\n'
    for l_1_shelf in (undefined(name='shelves') if l_0_shelves is missing else l_0_shelves):
        _loop_vars = {}
        pass
        yield '  <li><a href="'
        yield escape(t_3(environment.getattr(l_1_shelf, 'url')))
        yield '">'
        yield escape(environment.getattr(l_1_shelf, 'name'))
        yield '</a> <span class="count">'
        yield escape(t_2(t_1(environment.getattr(l_1_shelf, 'papers')), 'paper'))
        yield '</span></li>\n'
    l_1_shelf = missing
    yield '</ul>\n'

blocks = {'content': block_content}
debug_info = '1=12&2=17&3=47&4=49&6=51&7=55'