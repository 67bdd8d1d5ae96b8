from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'list.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_note_list = l_0_pager = missing
    pass
    parent_template = environment.get_template('base.html', 'list.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html', 'list.html')._get_default_module(context)
    l_0_note_list = getattr(included_template, 'note_list', missing)
    if l_0_note_list is missing:
        l_0_note_list = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'list.html') does not export the requested name 'note_list'", name='note_list')
    l_0_pager = getattr(included_template, 'pager', missing)
    if l_0_pager is missing:
        l_0_pager = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'list.html') does not export the requested name 'pager'", name='pager')
    context.vars.update({'note_list': l_0_note_list, 'pager': l_0_pager})
    context.exported_vars.difference_update(('note_list', 'pager'))
    yield from parent_template.root_render_func(context)

def block_feeds(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_tag = resolve('tag')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    try:
        t_2 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    pass
    if t_2((undefined(name='tag') if l_0_tag is missing else l_0_tag)):
        pass
        yield '<link rel="alternate" type="application/atom+xml" title="'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
        yield ': #'
        yield escape(environment.getattr((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'name'))
        yield '" href="'
        yield escape(t_1(markup_join((environment.getattr((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'url'), 'feed.xml', ))))
        yield '">'

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_kind = resolve('kind')
    l_0_pagination = resolve('pagination')
    l_0_site = resolve('site')
    l_0_title = resolve('title')
    l_0_notes = resolve('notes')
    l_0_note_list = resolve('note_list')
    l_0_pager = resolve('pager')
    pass
    if (((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'home') and (environment.getattr((undefined(name='pagination') if l_0_pagination is missing else l_0_pagination), 'number') == 1)):
        pass
        yield '<section class="intro">\n  <h1>'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
        yield '</h1>\n'
        if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'):
            pass
            yield '<p class="lede">'
            yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
            yield '</p>'
        yield '</section>\n'
    else:
        pass
        yield '<h1 class="page-title">'
        yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
        yield '</h1>\n'
    if (undefined(name='notes') if l_0_notes is missing else l_0_notes):
        pass
        yield escape(context.call((undefined(name='note_list') if l_0_note_list is missing else l_0_note_list), (undefined(name='notes') if l_0_notes is missing else l_0_notes), _block_vars=_block_vars))
    else:
        pass
        yield '<p class="empty">No notes yet.</p>'
    yield escape(context.call((undefined(name='pager') if l_0_pager is missing else l_0_pager), (undefined(name='pagination') if l_0_pagination is missing else l_0_pagination), _block_vars=_block_vars))
    yield '\n'

blocks = {'feeds': block_feeds, 'content': block_content}
debug_info = '1=13&2=16&3=27&4=59&5=74&7=77&8=79&11=88&13=90&14=96'