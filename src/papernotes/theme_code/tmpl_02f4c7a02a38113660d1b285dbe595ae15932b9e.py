from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'graph.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'graph.html')
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
    l_0_browse = resolve('browse')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<h1 class="page-title">Graph</h1>\n<p class="lede">Notes, the papers they discuss and their tags. Drag to pan, scroll to zoom, click a node to open it.</p>\n<fieldset class="graph-filters">\n  <legend class="visually-hidden">Show</legend>\n  <label><input type="checkbox" data-type="note" checked> <span class="dot dot-note"></span>Notes</label>\n  <label><input type="checkbox" data-type="paper" checked> <span class="dot dot-paper"></span>Papers</label>\n  <label><input type="checkbox" data-type="tag" checked> <span class="dot dot-tag"></span>Tags</label>\n'
    if ('authors' in (undefined(name='browse') if l_0_browse is missing else l_0_browse)):
        pass
        yield '<label><input type="checkbox" data-type="author"> <span class="dot dot-author"></span>Authors</label>'
    if ('venues' in (undefined(name='browse') if l_0_browse is missing else l_0_browse)):
        pass
        yield '<label><input type="checkbox" data-type="venue"> <span class="dot dot-venue"></span>Venues</label>'
    yield '</fieldset>\n<canvas class="graph-canvas graph-full" data-graph="'
    yield escape(t_1(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'graph_json')))
    yield '" height="620"></canvas>\n<script src="'
    yield escape(t_1('/js/graph.js'))
    yield '" defer></script>\n'

blocks = {'content': block_content}
debug_info = '1=12&2=17&10=34&11=37&13=41&14=43'