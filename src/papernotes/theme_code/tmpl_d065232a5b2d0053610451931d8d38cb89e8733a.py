from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'papers.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'papers.html')
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
    l_0_papers = resolve('papers')
    l_0_site = resolve('site')
    l_0_browse = resolve('browse')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
    try:
        t_4 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_5 = environment.filters['runs']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'runs' found.")
    try:
        t_6 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<h1 class="page-title">Papers</h1>\n<p class="lede">'
    yield escape(t_4(t_2((undefined(name='papers') if l_0_papers is missing else l_0_papers)), 'paper'))
    yield ' discussed in these notes. Also as <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'bibliography')))
    yield '">BibTeX</a> and <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'csl_json')))
    yield '">CSL-JSON</a>. By year <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'papers_published')))
    yield '">published</a> or <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'papers_read')))
    yield '">read</a>'
    if (undefined(name='browse') if l_0_browse is missing else l_0_browse):
        pass
        yield '; by '
        l_1_loop = missing
        for l_1_kind, l_1_loop in LoopContext((undefined(name='browse') if l_0_browse is missing else l_0_browse), undefined):
            _loop_vars = {}
            pass
            yield '<a href="'
            yield escape(t_6(environment.getitem(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), l_1_kind)))
            yield '">'
            yield escape(l_1_kind[:(-1)])
            yield '</a>'
            yield escape((' or ' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 4 in 'papers.html' evaluated to false and no else section was defined.")))
        l_1_loop = l_1_kind = missing
    yield '.</p>\n'
    if (undefined(name='papers') if l_0_papers is missing else l_0_papers):
        pass
        yield '<div class="paper-tools">\n  <label for="paper-filter" class="visually-hidden">Filter papers</label>\n  <input id="paper-filter" type="search" placeholder="Filter by title, author, id…" autocomplete="off">\n</div>\n<table class="paper-table" id="paper-table">\n  <thead>\n    <tr>\n      <th scope="col"><button type="button" data-sort="title">Title</button></th>\n      <th scope="col"><button type="button" data-sort="year">Year</button></th>\n      <th scope="col"><button type="button" data-sort="notes" aria-sort="descending">Notes</button></th>\n    </tr>\n  </thead>\n  <tbody>\n'
        for l_1_run in t_5((undefined(name='papers') if l_0_papers is missing else l_0_papers)):
            l_1_section = resolve('section')
            _loop_vars = {}
            pass
            def macro():
                t_7 = []
                pass
                for l_3_paper in l_1_run:
                    _loop_vars = {}
                    pass
                    t_7.extend((
                        '    <tr data-title="',
                        escape(t_3(environment.getattr(l_3_paper, 'title'))),
                        '" data-year="',
                        escape((environment.getattr(environment.getattr(l_3_paper, 'meta'), 'year') or 0)),
                        '" data-notes="',
                        escape(t_2(environment.getattr(l_3_paper, 'notes'))),
                        '" data-search="',
                        escape(t_3(markup_join((environment.getattr(l_3_paper, 'title'), ' ', t_1(context.eval_ctx, environment.getattr(environment.getattr(l_3_paper, 'meta'), 'authors'), ' '), ' ', environment.getattr(l_3_paper, 'id'), )))),
                        '">\n      <td><a href="',
                        escape(t_6(environment.getattr(l_3_paper, 'url'))),
                        '">',
                        escape(environment.getattr(l_3_paper, 'title')),
                        '</a>',
                    ))
                    if environment.getattr(environment.getattr(l_3_paper, 'meta'), 'authors'):
                        pass
                        t_7.extend((
                            '<div class="muted small">',
                            escape(t_1(context.eval_ctx, environment.getattr(environment.getattr(l_3_paper, 'meta'), 'authors')[:3], ', ')),
                        ))
                        if (t_2(environment.getattr(environment.getattr(l_3_paper, 'meta'), 'authors')) > 3):
                            pass
                            t_7.append(
                                ' et al.',
                            )
                        t_7.append(
                            '</div>',
                        )
                    t_7.extend((
                        '</td>\n      <td>',
                        escape((environment.getattr(environment.getattr(l_3_paper, 'meta'), 'year') or '')),
                        '</td>\n      <td>',
                        escape(t_2(environment.getattr(l_3_paper, 'notes'))),
                        '</td>\n    </tr>\n',
                    ))
                l_3_paper = missing
                return concat(t_7)
            caller = Macro(environment, macro, None, (), False, False, False, context.eval_ctx.autoescape)
            yield context.call((undefined(name='section') if l_1_section is missing else l_1_section), 'papers', l_1_run, caller=caller, _loop_vars=_loop_vars)
        l_1_run = l_1_section = missing
        yield '  </tbody>\n</table>\n<script src="'
        yield escape(t_6('/js/papers.js'))
        yield '" defer></script>\n'
    else:
        pass
        yield '<p class="empty">No paper is mentioned yet. Link an arXiv, DOI or OpenReview page in a note, or add <code>paper:</code> to its front matter.</p>'

blocks = {'content': block_content}
debug_info = '1=12&2=17&4=65&5=90&19=93&20=105&21=113&22=134&23=136&19=142&28=145'