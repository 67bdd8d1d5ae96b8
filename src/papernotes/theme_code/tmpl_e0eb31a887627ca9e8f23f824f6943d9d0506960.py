from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'paper.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_paper = resolve('paper')
    l_0_meta = missing
    pass
    parent_template = environment.get_template('base.html', 'paper.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    l_0_meta = environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'meta')
    context.vars['meta'] = l_0_meta
    context.exported_vars.add('meta')
    yield from parent_template.root_render_func(context)

def block_description(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_meta = resolve('meta')
    l_0_paper = resolve('paper')
    try:
        t_1 = environment.filters['truncate']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'truncate' found.")
    pass
    yield escape(t_1(environment, (environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'abstract') or markup_join(('Notes on ', environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'title'), ))), 200))

def block_meta(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_paper_json_ld = resolve('paper_json_ld')
    l_0_paper = resolve('paper')
    l_0_meta = resolve('meta')
    try:
        t_2 = environment.filters['tojson_ld']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'tojson_ld' found.")
    pass
    yield '<script type="application/ld+json">'
    yield escape(t_2(context.call((undefined(name='paper_json_ld') if l_0_paper_json_ld is missing else l_0_paper_json_ld), (undefined(name='paper') if l_0_paper is missing else l_0_paper), _block_vars=_block_vars)))
    yield '</script>\n<meta name="citation_title" content="'
    yield escape(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'title'))
    yield '">\n'
    for l_1_author in environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'authors'):
        _loop_vars = {}
        pass
        yield '<meta name="citation_author" content="'
        yield escape(l_1_author)
        yield '">\n'
    l_1_author = missing
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'year'):
        pass
        yield '<meta name="citation_publication_date" content="'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'year'))
        yield '">\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'venue'):
        pass
        yield '<meta name="citation_journal_title" content="'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'venue'))
        yield '">\n'
    if context.call(environment.getattr(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'id'), 'startswith'), 'doi:', _block_vars=_block_vars):
        pass
        yield '<meta name="citation_doi" content="'
        yield escape(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'id')[4:])
        yield '">\n'
    if context.call(environment.getattr(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'id'), 'startswith'), 'arxiv:', _block_vars=_block_vars):
        pass
        yield '<meta name="citation_arxiv_id" content="'
        yield escape(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'id')[6:])
        yield '">\n'
    if context.call(environment.getattr(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'links'), 'get'), 'pdf', _block_vars=_block_vars):
        pass
        yield '<meta name="citation_pdf_url" content="'
        yield escape(environment.getattr(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'links'), 'pdf'))
        yield '">\n'
    if context.call(environment.getattr(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'links'), 'get'), 'abs', _block_vars=_block_vars):
        pass
        yield '<meta name="citation_abstract_html_url" content="'
        yield escape(environment.getattr(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'links'), 'abs'))
        yield '">\n'

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_paper = resolve('paper')
    l_0_coins = resolve('coins')
    l_0_meta = resolve('meta')
    l_0_venue_url = resolve('venue_url')
    l_0_cites = resolve('cites')
    l_0_cited_by = resolve('cited_by')
    l_0_co_mentioned = resolve('co_mentioned')
    l_0_cite_key = resolve('cite_key')
    l_0_bibtex_file = resolve('bibtex_file')
    l_0_csl_file = resolve('csl_file')
    l_0_bibtex = resolve('bibtex')
    l_0_count = missing
    try:
        t_3 = environment.filters['date']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'date' found.")
    try:
        t_4 = environment.filters['dictsort']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'dictsort' found.")
    try:
        t_5 = environment.filters['excerpt']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'excerpt' found.")
    try:
        t_6 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_7 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_8 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<article class="paper" data-pagefind-body>\n  <header class="note-header">\n    <p class="eyebrow">Paper · <code>'
    yield escape(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'id'))
    yield '</code></p>\n    <h1 class="note-title" data-pagefind-meta="title">'
    yield escape(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'title'))
    yield '</h1>\n    <span class="Z3988" title="'
    yield escape((undefined(name='coins') if l_0_coins is missing else l_0_coins))
    yield '"></span>\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'authors'):
        pass
        yield '<p class="authors">'
        l_1_loop = missing
        for l_1_author, l_1_loop in LoopContext(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'authors'), undefined):
            l_1_author_urls = resolve('author_urls')
            _loop_vars = {}
            pass
            if (l_1_author == 'others'):
                pass
                yield ' et al.'
            else:
                pass
                yield escape((', ' if (not environment.getattr(l_1_loop, 'first')) else cond_expr_undefined("the inline if-expression on line 28 in 'paper.html' evaluated to false and no else section was defined.")))
                if context.call(environment.getattr((undefined(name='author_urls') if l_1_author_urls is missing else l_1_author_urls), 'get'), l_1_author, _loop_vars=_loop_vars):
                    pass
                    yield '<a href="'
                    yield escape(t_8(environment.getitem((undefined(name='author_urls') if l_1_author_urls is missing else l_1_author_urls), l_1_author)))
                    yield '">'
                    yield escape(l_1_author)
                    yield '</a>'
                else:
                    pass
                    yield escape(l_1_author)
        l_1_loop = l_1_author = l_1_author_urls = missing
        yield '</p>'
    yield '    <p class="note-meta">\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'year'):
        pass
        yield '<span>'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'year'))
        yield '</span>'
    if environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'read'):
        pass
        yield '<span>read <time datetime="'
        yield escape(t_3(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'read'), 'iso'))
        yield '">'
        yield escape(t_3(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'read')))
        yield '</time></span>'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'venue'):
        pass
        yield '<span>'
        if (undefined(name='venue_url') if l_0_venue_url is missing else l_0_venue_url):
            pass
            yield '<a href="'
            yield escape(t_8((undefined(name='venue_url') if l_0_venue_url is missing else l_0_venue_url)))
            yield '">'
            yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'venue'))
            yield '</a>'
        else:
            pass
            yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'venue'))
        yield '</span>'
    for (l_1_name, l_1_link) in t_4(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'links')):
        _loop_vars = {}
        pass
        yield '<a class="tag" href="'
        yield escape(l_1_link)
        yield '" rel="noopener">'
        yield escape(context.call(environment.getattr({'abs': 'Abstract', 'pdf': 'PDF', 'doi': 'DOI', 'url': 'Link'}, 'get'), l_1_name, l_1_name, _loop_vars=_loop_vars))
        yield '</a>'
    l_1_name = l_1_link = missing
    yield '    </p>\n  </header>\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'abstract'):
        pass
        yield '  <section class="abstract"><h2>Abstract</h2><p>'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'abstract'))
        yield '</p></section>\n'
    yield '  <section class="discussions">\n'
    l_0_count = t_6(environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'by_note'))
    _block_vars['count'] = l_0_count
    yield '    <h2>Discussed in '
    yield escape(t_7((undefined(name='count') if l_0_count is missing else l_0_count), 'note'))
    yield '</h2>\n    <ul class="discussion-list">\n'
    for (l_1_note, l_1_found) in environment.getattr((undefined(name='paper') if l_0_paper is missing else l_0_paper), 'by_note'):
        _loop_vars = {}
        pass
        yield '      <li>\n        <a class="discussion-title" href="'
        yield escape(t_8(markup_join((environment.getattr(l_1_note, 'url'), (markup_join(('#', environment.getattr(environment.getitem(l_1_found, 0), 'anchor'), )) if environment.getattr(environment.getitem(l_1_found, 0), 'anchor') else ''), ))))
        yield '">'
        yield escape(environment.getattr(l_1_note, 'title'))
        yield '</a>\n'
        if environment.getattr(l_1_note, 'date'):
            pass
            yield '<time class="muted small" datetime="'
            yield escape(t_3(environment.getattr(l_1_note, 'date'), 'iso'))
            yield '">'
            yield escape(t_3(environment.getattr(l_1_note, 'date')))
            yield '</time>'
        for l_2_discussion in l_1_found:
            _loop_vars = {}
            pass
            if environment.getattr(l_2_discussion, 'excerpt'):
                pass
                yield '        <blockquote class="excerpt">'
                yield escape(t_5(environment.getattr(l_2_discussion, 'excerpt')))
                if (environment.getattr(l_2_discussion, 'anchor') and (t_6(l_1_found) > 1)):
                    pass
                    yield ' <a class="muted small" href="'
                    yield escape(t_8(markup_join((environment.getattr(l_1_note, 'url'), '#', environment.getattr(l_2_discussion, 'anchor'), ))))
                    yield '">§</a>'
                yield '</blockquote>\n'
        l_2_discussion = missing
        yield '      </li>\n'
    l_1_note = l_1_found = missing
    yield '    </ul>\n  </section>\n'
    if ((undefined(name='cites') if l_0_cites is missing else l_0_cites) or (undefined(name='cited_by') if l_0_cited_by is missing else l_0_cited_by)):
        pass
        yield '  <section class="paper-citations">\n    <h2>Cites '
        yield escape(t_6((undefined(name='cites') if l_0_cites is missing else l_0_cites)))
        yield ' / cited by '
        yield escape(t_6((undefined(name='cited_by') if l_0_cited_by is missing else l_0_cited_by)))
        yield ' of the papers in these notes</h2>\n'
        for (l_1_label, l_1_listed) in (('Cites', (undefined(name='cites') if l_0_cites is missing else l_0_cites)), ('Cited by', (undefined(name='cited_by') if l_0_cited_by is missing else l_0_cited_by))):
            _loop_vars = {}
            pass
            if l_1_listed:
                pass
                yield '    <h3>'
                yield escape(l_1_label)
                yield '</h3>\n    <ul>'
                for l_2_other in l_1_listed:
                    _loop_vars = {}
                    pass
                    yield '<li><a href="'
                    yield escape(t_8(environment.getattr(l_2_other, 'url')))
                    yield '">'
                    yield escape(environment.getattr(l_2_other, 'title'))
                    yield '</a>'
                    if environment.getattr(environment.getattr(l_2_other, 'meta'), 'year'):
                        pass
                        yield ' <span class="muted small">('
                        yield escape(environment.getattr(environment.getattr(l_2_other, 'meta'), 'year'))
                        yield ')</span>'
                    yield '</li>'
                l_2_other = missing
                yield '</ul>\n'
        l_1_label = l_1_listed = missing
        yield '  </section>\n'
    if (undefined(name='co_mentioned') if l_0_co_mentioned is missing else l_0_co_mentioned):
        pass
        yield '  <section class="co-mentioned">\n    <h2>Often discussed alongside</h2>\n    <ul>'
        for (l_1_other, l_1_count) in (undefined(name='co_mentioned') if l_0_co_mentioned is missing else l_0_co_mentioned):
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape(t_8(environment.getattr(l_1_other, 'url')))
            yield '">'
            yield escape(environment.getattr(l_1_other, 'title'))
            yield '</a> <span class="muted small">('
            yield escape(t_7(l_1_count, 'note'))
            yield ')</span></li>'
        l_1_other = l_1_count = missing
        yield '</ul>\n  </section>\n'
    yield '  <section class="bibtex" data-pagefind-ignore>\n    <h2>Cite</h2>\n    <div class="bibtex-box">\n      <button type="button" class="copy-button" data-copy="#bibtex-entry">Copy BibTeX</button>\n      <p class="muted small">Key <code>'
    yield escape((undefined(name='cite_key') if l_0_cite_key is missing else l_0_cite_key))
    yield '</code> · <a href="'
    yield escape((undefined(name='bibtex_file') if l_0_bibtex_file is missing else l_0_bibtex_file))
    yield '" download="'
    yield escape((undefined(name='cite_key') if l_0_cite_key is missing else l_0_cite_key))
    yield '.bib">.bib</a> · <a href="'
    yield escape((undefined(name='csl_file') if l_0_csl_file is missing else l_0_csl_file))
    yield '" download="'
    yield escape((undefined(name='cite_key') if l_0_cite_key is missing else l_0_cite_key))
    yield '.csl.json">CSL-JSON</a></p>\n      <pre id="bibtex-entry"><code>'
    yield escape((undefined(name='bibtex') if l_0_bibtex is missing else l_0_bibtex))
    yield '</code></pre>\n    </div>\n  </section>\n</article>\n<script src="'
    yield escape(t_8('/js/copy.js'))
    yield '" defer></script>\n'

blocks = {'description': block_description, 'meta': block_meta, 'content': block_content}
debug_info = '1=14&2=17&3=22&4=40&5=58&6=60&7=62&9=69&11=74&13=79&15=84&17=89&19=94&22=100&25=157&26=159&27=161&28=163&30=190&31=195&32=202&33=216&36=226&37=229&40=232&41=235&43=237&45=241&46=245&47=252&48=258&54=269&56=272&57=276&58=282&59=284&63=302&66=305&73=318&74=328&78=330'