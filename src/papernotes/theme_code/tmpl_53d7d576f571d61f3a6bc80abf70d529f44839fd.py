from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'shelf.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'shelf.html')
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
    l_0_kind = resolve('kind')
    l_0_shelf = resolve('shelf')
    l_0_count = missing
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
    yield '<article class="shelf" data-pagefind-body>\n  <header class="note-header">\n    <p class="eyebrow">'
    yield escape(('Author' if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'author') else 'Venue'))
    yield '</p>\n    <h1 class="note-title" data-pagefind-meta="title">'
    yield escape(environment.getattr((undefined(name='shelf') if l_0_shelf is missing else l_0_shelf), 'name'))
    yield '</h1>\n'
    l_0_count = t_1(environment.getattr((undefined(name='shelf') if l_0_shelf is missing else l_0_shelf), 'papers'))
    _block_vars['count'] = l_0_count
    yield '    <p class="note-meta">'
    yield escape(t_2((undefined(name='count') if l_0_count is missing else l_0_count), 'paper'))
    yield ' discussed in these notes'
    if context.call(environment.getattr(environment.getattr((undefined(name='shelf') if l_0_shelf is missing else l_0_shelf), 'key'), 'startswith'), 'orcid:', _block_vars=_block_vars):
        pass
        yield ' · <a href="https://orcid.org/'
        yield escape(environment.getattr((undefined(name='shelf') if l_0_shelf is missing else l_0_shelf), 'key')[6:])
        yield '" rel="noopener">ORCID</a>'
    yield '</p>\n  </header>\n  <ul class="discussion-list">\n'
    l_1_loop = missing
    for l_1_paper, l_1_loop in LoopContext(environment.getattr((undefined(name='shelf') if l_0_shelf is missing else l_0_shelf), 'papers'), undefined):
        l_1_notes = missing
        _loop_vars = {}
        pass
        yield '    <li>\n      <a class="discussion-title" href="'
        yield escape(t_3(environment.getattr(l_1_paper, 'url')))
        yield '">'
        yield escape(environment.getattr(l_1_paper, 'title'))
        yield '</a>'
        if environment.getattr(environment.getattr(l_1_paper, 'meta'), 'year'):
            pass
            yield ' <span class="muted">('
            yield escape(environment.getattr(environment.getattr(l_1_paper, 'meta'), 'year'))
            yield ')</span>'
        l_1_notes = environment.getattr(l_1_paper, 'notes')
        _loop_vars['notes'] = l_1_notes
        yield '      <p class="muted small">Discussed in '
        l_2_loop = missing
        for l_2_note, l_2_loop in LoopContext((undefined(name='notes') if l_1_notes is missing else l_1_notes), undefined):
            _loop_vars = {}
            pass
            yield '<a href="'
            yield escape(t_3(environment.getattr(l_2_note, 'url')))
            yield '">'
            yield escape(environment.getattr(l_2_note, 'title'))
            yield '</a>'
            yield escape((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 15 in 'shelf.html' evaluated to false and no else section was defined.")))
        l_2_loop = l_2_note = missing
        yield '</p>\n    </li>\n'
    l_1_loop = l_1_paper = l_1_notes = missing
    yield '  </ul>\n</article>\n'

blocks = {'content': block_content}
debug_info = '1=12&2=17&5=47&6=49&7=51&8=54&11=63&13=68&14=77&15=81'