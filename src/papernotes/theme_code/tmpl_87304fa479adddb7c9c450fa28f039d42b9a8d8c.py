from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'note.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_note_meta = l_0_toc_list = missing
    pass
    parent_template = environment.get_template('base.html', 'note.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html', 'note.html')._get_default_module(context)
    l_0_note_meta = getattr(included_template, 'note_meta', missing)
    if l_0_note_meta is missing:
        l_0_note_meta = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'note.html') does not export the requested name 'note_meta'", name='note_meta')
    l_0_toc_list = getattr(included_template, 'toc_list', missing)
    if l_0_toc_list is missing:
        l_0_toc_list = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'note.html') does not export the requested name 'toc_list'", name='toc_list')
    context.vars.update({'note_meta': l_0_note_meta, 'toc_list': l_0_toc_list})
    context.exported_vars.difference_update(('note_meta', 'toc_list'))
    yield from parent_template.root_render_func(context)

def block_description(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_note = resolve('note')
    try:
        t_1 = environment.filters['unmarked']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'unmarked' found.")
    pass
    yield escape(t_1(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'summary')))

def block_og_type(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'article'

def block_meta(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_note = resolve('note')
    l_0_tags = resolve('tags')
    l_0_note_json_ld = resolve('note_json_ld')
    l_0_papers = resolve('papers')
    try:
        t_2 = environment.filters['date']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'date' found.")
    try:
        t_3 = environment.filters['tojson_ld']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'tojson_ld' found.")
    try:
        t_4 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    if ('<math' in environment.getattr(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'body'), 'html')):
        pass
        yield '<link rel="preload" href="'
        yield escape(t_4('/fonts/STIXMath-Regular.woff2'))
        yield '" as="font" type="font/woff2" crossorigin>\n'
    if environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'date'):
        pass
        yield '<meta property="article:published_time" content="'
        yield escape(t_2(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'date'), 'rfc3339'))
        yield '">\n'
    if environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'updated'):
        pass
        yield '<meta property="article:modified_time" content="'
        yield escape(t_2(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'updated'), 'rfc3339'))
        yield '">\n'
    for l_1_tag in (undefined(name='tags') if l_0_tags is missing else l_0_tags):
        _loop_vars = {}
        pass
        yield '<meta property="article:tag" content="'
        yield escape(environment.getattr(l_1_tag, 'name'))
        yield '">\n'
    l_1_tag = missing
    yield '<script type="application/ld+json">'
    yield escape(t_3(context.call((undefined(name='note_json_ld') if l_0_note_json_ld is missing else l_0_note_json_ld), (undefined(name='note') if l_0_note is missing else l_0_note), (undefined(name='papers') if l_0_papers is missing else l_0_papers), _block_vars=_block_vars)))
    yield '</script>\n'

def block_canonical(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_note = resolve('note')
    l_0_page_url = resolve('page_url')
    try:
        t_5 = environment.filters['absolute_url']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'absolute_url' found.")
    pass
    yield escape((environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'original_url') if (environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'original_url') and context.call(environment.getattr(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'meta'), 'get'), 'canonical_is_original', True, _block_vars=_block_vars)) else t_5((undefined(name='page_url') if l_0_page_url is missing else l_0_page_url))))

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_note = resolve('note')
    l_0_note_meta = resolve('note_meta')
    l_0_tags = resolve('tags')
    l_0_toc_list = resolve('toc_list')
    l_0_papers = resolve('papers')
    l_0_backlinks = resolve('backlinks')
    l_0_related = resolve('related')
    l_0_neighbourhood = resolve('neighbourhood')
    l_0_newer = resolve('newer')
    l_0_older = resolve('older')
    l_0_toc = missing
    try:
        t_6 = environment.filters['excerpt']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'excerpt' found.")
    try:
        t_7 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    try:
        t_8 = environment.filters['toc']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'toc' found.")
    try:
        t_9 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    try:
        t_10 = environment.filters['truncate']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'truncate' found.")
    try:
        t_4 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<article class="note" data-pagefind-body>\n  <header class="note-header">\n    <h1 class="note-title" data-pagefind-meta="title">'
    yield escape(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'title'))
    yield '</h1>\n    '
    yield escape(context.call((undefined(name='note_meta') if l_0_note_meta is missing else l_0_note_meta), (undefined(name='note') if l_0_note is missing else l_0_note), (undefined(name='tags') if l_0_tags is missing else l_0_tags), _block_vars=_block_vars))
    yield '\n'
    if environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'original_url'):
        pass
        yield '<p class="original">Originally published at <a href="'
        yield escape(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'original_url'))
        yield '" rel="noopener">'
        yield escape(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'original_url'))
        yield '</a></p>'
    yield '  </header>\n'
    l_0_toc = t_8(environment.getattr(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'body'), 'headings'))
    _block_vars['toc'] = l_0_toc
    if (environment.getattr((undefined(name='toc') if l_0_toc is missing else l_0_toc), 'size') > 1):
        pass
        yield '  <nav class="toc'
        if environment.getattr((undefined(name='toc') if l_0_toc is missing else l_0_toc), 'long'):
            pass
            yield ' toc-long'
        yield '" aria-label="Table of contents" data-pagefind-ignore>\n    <details open>\n      <summary>Contents</summary>\n      '
        yield escape(context.call((undefined(name='toc_list') if l_0_toc_list is missing else l_0_toc_list), environment.getattr((undefined(name='toc') if l_0_toc is missing else l_0_toc), 'entries'), environment.getattr((undefined(name='toc') if l_0_toc is missing else l_0_toc), 'numbered'), _block_vars=_block_vars))
        yield '\n    </details>\n  </nav>\n'
    yield '  <div class="note-body">\n'
    yield escape(t_7(environment.getattr(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'body'), 'html')))
    yield '\n  </div>\n'
    if (undefined(name='papers') if l_0_papers is missing else l_0_papers):
        pass
        yield '  <section class="note-papers" aria-labelledby="papers-title">\n    <h2 id="papers-title">Papers discussed</h2>\n    <ul>\n'
        for l_1_paper in (undefined(name='papers') if l_0_papers is missing else l_0_papers):
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape(t_4(environment.getattr(l_1_paper, 'url')))
            yield '">'
            yield escape(environment.getattr(l_1_paper, 'title'))
            yield '</a>'
            if environment.getattr(environment.getattr(l_1_paper, 'meta'), 'year'):
                pass
                yield ' <span class="muted">('
                yield escape(environment.getattr(environment.getattr(l_1_paper, 'meta'), 'year'))
                yield ')</span>'
            if environment.getattr(environment.getattr(l_1_paper, 'meta'), 'title'):
                pass
                yield ' <code class="paper-id">'
                yield escape(environment.getattr(l_1_paper, 'id'))
                yield '</code>'
            yield '</li>'
        l_1_paper = missing
        yield '    </ul>\n  </section>\n'
    yield '</article>\n'
    if (undefined(name='backlinks') if l_0_backlinks is missing else l_0_backlinks):
        pass
        yield '<section class="backlinks" aria-labelledby="backlinks-title">\n  <h2 id="backlinks-title">Linked from</h2>\n  <ul>\n'
        for l_1_other in (undefined(name='backlinks') if l_0_backlinks is missing else l_0_backlinks):
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape(t_4(environment.getattr(l_1_other, 'url')))
            yield '">'
            yield escape(environment.getattr(l_1_other, 'title'))
            yield '</a>'
            if environment.getattr(l_1_other, 'summary'):
                pass
                yield ' <span class="backlink-summary">— '
                yield escape(t_6(t_10(environment, environment.getattr(l_1_other, 'summary'), 110)))
                yield '</span>'
            yield '</li>'
        l_1_other = missing
        yield '  </ul>\n</section>\n'
    if (undefined(name='related') if l_0_related is missing else l_0_related):
        pass
        yield '<section class="related" aria-labelledby="related-title">\n  <h2 id="related-title">Related notes</h2>\n  <ul>'
        for l_1_other in (undefined(name='related') if l_0_related is missing else l_0_related):
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape(t_4(environment.getattr(l_1_other, 'url')))
            yield '">'
            yield escape(environment.getattr(l_1_other, 'title'))
            yield '</a></li>'
        l_1_other = missing
        yield '</ul>\n</section>\n'
    yield '<section class="local-graph" aria-label="Neighbourhood graph">\n  <canvas class="graph-canvas" data-focus="note:'
    yield escape(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'id'))
    yield '" height="260"></canvas>\n  <script type="application/json" class="graph-data">'
    yield escape(t_9(context.eval_ctx, (undefined(name='neighbourhood') if l_0_neighbourhood is missing else l_0_neighbourhood)))
    yield '</script>\n</section>\n<script src="'
    yield escape(t_4('/js/graph.js'))
    yield '" defer></script>\n'
    if ('<pre class="mermaid">' in environment.getattr(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'body'), 'html')):
        pass
        yield '<script src="'
        yield escape(t_4('/js/vendor/mermaid.min.js'))
        yield '" defer></script>\n<script src="'
        yield escape(t_4('/js/diagrams.js'))
        yield '" defer></script>'
    yield '<nav class="note-nav" aria-label="More notes">\n'
    if (undefined(name='newer') if l_0_newer is missing else l_0_newer):
        pass
        yield '<a class="newer" href="'
        yield escape(t_4(environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'url')))
        yield '"><span>Newer</span>'
        yield escape(environment.getattr((undefined(name='newer') if l_0_newer is missing else l_0_newer), 'title'))
        yield '</a>'
    else:
        pass
        yield '<span></span>'
    if (undefined(name='older') if l_0_older is missing else l_0_older):
        pass
        yield '<a class="older" href="'
        yield escape(t_4(environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'url')))
        yield '"><span>Older</span>'
        yield escape(environment.getattr((undefined(name='older') if l_0_older is missing else l_0_older), 'title'))
        yield '</a>'
    else:
        pass
        yield '<span></span>'
    yield '</nav>\n'

blocks = {'description': block_description, 'og_type': block_og_type, 'meta': block_meta, 'canonical': block_canonical, 'content': block_content}
debug_info = '1=13&2=16&3=27&4=44&5=54&6=84&8=89&10=94&12=99&14=107&16=110&17=128&20=184&21=186&22=188&24=196&25=198&26=201&29=205&34=208&36=210&40=213&45=235&49=238&53=254&56=257&60=268&61=270&63=272&64=274&65=279&67=282&68=292'