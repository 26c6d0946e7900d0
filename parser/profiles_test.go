package parser

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path"
	"reflect"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
)

// profArticleURLs are real article URLs (shared/research/korean-sites.md
// §10.1 and its outlet sections, the corpus manifest, and public code where
// the notes have none) with the key ArticleKey must return; "" accepts any
// non-empty key, for forms whose key is the profile's own choice. Rows of
// outlets without a built-in profile yet are skipped, so the table tightens
// as profiles land.
var profArticleURLs = []struct {
	id, url, key string
}{
	// Wire agencies.
	{"yonhap", "https://www.yna.co.kr/view/AKR20231120152500003", "AKR20231120152500003"},
	{"yonhap", "https://www.yna.co.kr/view/AKR20250213094800004?section=politics/all&site=topnews01", "AKR20250213094800004"},
	{"yonhap", "https://www.yna.co.kr/view/AKR20251028095752073", "AKR20251028095752073"},
	{"yonhap", "https://m.yna.co.kr/view/AKR20210405154751071?section=international/all", "AKR20210405154751071"},
	{"yonhap", "https://en.yna.co.kr/view/AEN20230419006200320", "AEN20230419006200320"},
	{"yonhap", "https://en.yna.co.kr/view/AEN20230419005600315", "AEN20230419005600315"},
	{"yonhap", "https://m-en.yna.co.kr/view/AEN20230419005600315", "AEN20230419005600315"},
	{"newsis", "https://www.newsis.com/view/NISX20260223_0003522553", "NISX20260223_0003522553"},
	{"newsis", "https://www.newsis.com/view/NISX20250409_0003131627", "NISX20250409_0003131627"},
	{"newsis", "https://newsis.com/view/?id=NISX20230707_0002367725&cID=10201&pID=10200", "NISX20230707_0002367725"},
	{"news1", "https://www.news1.kr/politics/assembly/6055216", "6055216"},
	{"news1", "https://www.news1.kr/politics/president/6306424", "6306424"},
	{"news1", "https://www.news1.kr/politics/president/5814189", "5814189"},
	{"news1", "https://www.news1.kr/articles/5315281", "5315281"},
	{"news1", "https://www.news1.kr/articles/?5000001", "5000001"},

	// National dailies.
	{"chosun", "https://www.chosun.com/politics/politics_general/2025/04/14/THWVKUHQG5CKFJF6CLZLP5PKM4", "THWVKUHQG5CKFJF6CLZLP5PKM4"},
	{"chosun", "https://www.chosun.com/international/international_general/2024/04/18/DGJJ2JKV3VEHZNVRVGU3OTDSZU/", "DGJJ2JKV3VEHZNVRVGU3OTDSZU"},
	{"chosun", "https://www.chosun.com/economy/money/2025/11/13/52MHLOUGURGTFOF5Y3TXN3WVIA/", "52MHLOUGURGTFOF5Y3TXN3WVIA"},
	{"chosun", "https://biz.chosun.com/industry/company/2022/09/27/T6VO7CROTZFEHPC5Q42C3UPUKE/", "T6VO7CROTZFEHPC5Q42C3UPUKE"},
	{"chosun", "https://www.chosun.com/national/incident/2023/04/05/RNGKBEZYJJBWVLQZFEK4M6FMZQ/", "RNGKBEZYJJBWVLQZFEK4M6FMZQ"},
	{"chosun", "https://www.chosun.com/entertainments/enter_general/2023/04/07/C4TYKH2D5HO4L5KW7TNCOEGBFI/", "C4TYKH2D5HO4L5KW7TNCOEGBFI"},
	{"chosun", "https://www.chosun.com/international/international_general/2023/04/11/PHN3NSOXKVEP3M77YKKWI3QJ6A/", "PHN3NSOXKVEP3M77YKKWI3QJ6A"},
	{"chosun", "http://news.chosun.com/site/data/html_dir/2020/05/23/2020052300601.html", ""},
	{"joongang", "https://www.joongang.co.kr/article/25236857#home", "25236857"},
	{"joongang", "https://www.joongang.co.kr/article/2611598", "2611598"},
	{"joongang", "https://www.joongang.co.kr/article/25024472", "25024472"},
	{"donga", "https://www.donga.com/news/Economy/article/all/20251113/132765807/1", "132765807"},
	{"donga", "https://www.donga.com/news/Economy/article/all/20160310/76912379/1", "76912379"},
	{"hani", "https://www.hani.co.kr/arti/society/society_general/1192255.html", "1192255"},
	{"hani", "http://www.hani.co.kr/arti/society/labor/761484.html", "761484"},
	{"hani", "http://www.hani.co.kr/arti/society/society_general/761485.html", "761485"},
	{"khan", "https://www.khan.co.kr/article/202504141136001", "202504141136001"},
	{"khan", "http://biz.khan.co.kr/khan_art_view.html?artid=201609260957011&code=920100", ""},
	{"hankookilbo", "https://www.hankookilbo.com/News/Read/A2025051516330004328", "A2025051516330004328"},
	{"hankookilbo", "https://www.hankookilbo.com/news/article/A2026071220290000630", "A2026071220290000630"},
	{"seoul", "https://www.seoul.co.kr/news/economy/estate/2026/09/15/20260915022001", "20260915022001"},
	{"seoul", "https://www.seoul.co.kr/news/politics/2026/01/20/20260120500149", "20260120500149"},
	{"seoul", "https://www.seoul.co.kr/news/editOpinion/editorial/2026/10/05/20261005027008", "20261005027008"},
	{"seoul", "https://www.seoul.co.kr/news/plan/AI-lawbooks-algorithm/2026/02/06/20260206008004", "20260206008004"},
	{"kmib", "https://www.kmib.co.kr/article/view.asp?arcid=0028634793&code=61121111&cp=nv", "0028634793"},
	{"kmib", "https://news.kmib.co.kr/article/view.asp?arcid=0923813493", "0923813493"},
	{"segye", "https://www.segye.com/newsView/20260601516845", "20260601516845"},
	{"segye", "https://www.segye.com/newsView/20240513504438?OutUrl=naver", "20240513504438"},
	{"munhwa", "https://www.munhwa.com/article/11350108", "11350108"},
	{"munhwa", "https://www.munhwa.com/article/11591124?ref=naver", "11591124"},

	// Broadcasters.
	{"kbs", "https://news.kbs.co.kr/news/pc/view/view.do?ncd=8153501", "8153501"},
	{"kbs", "https://news.kbs.co.kr/news/view.do?ncd=7645555", "7645555"},
	{"kbs", "https://news.kbs.co.kr/news/view.do?ncd=7646024", "7646024"},
	{"mbc", "https://imnews.imbc.com/news/2024/politics/article/6582388_36431.html", "6582388"},
	{"mbc", "https://imnews.imbc.com/news/2023/world/article/6475754_36133.html", "6475754"},
	{"mbc", "https://imnews.imbc.com/news/2023/enter/article/6475753_36161.html", "6475753"},
	{"sbs", "https://news.sbs.co.kr/news/endPage.do?news_id=N1006330340", "N1006330340"},
	{"sbs", "https://news.sbs.co.kr/news/endPage.do?news_id=N1005323012&plink=STAND&cooper=NAVER", "N1005323012"},
	{"sbs", "https://news.sbs.co.kr/news/endPage.do?news_id=N1007161547", "N1007161547"},
	{"ytn", "https://www.ytn.co.kr/_ln/0115_202305310918465518", "202305310918465518"},
	{"ytn", "https://www.ytn.co.kr/_ln/0103_202304071836587452", "202304071836587452"},
	{"ytn", "https://m.ytn.co.kr/_ln/0104_202504040413011740", "202504040413011740"},
	{"jtbc", "https://news.jtbc.co.kr/article/NB12287857?influxDiv=NAVER", "NB12287857"},
	{"jtbc", "https://news.jtbc.co.kr/article/article.aspx?news_id=NB12220975", "NB12220975"},
	{"mbn", "https://mbn.co.kr/news/society/4917663", "4917663"},
	{"mbn", "https://www.mbn.co.kr/news/entertain/4917683", "4917683"},
	{"mbn", "https://mbn.co.kr/news/economy/4917667", "4917667"},
	{"tvchosun", "http://news.tvchosun.com/site/data/html_dir/2023/04/21/2023042190135.html", "2023042190135"},
	{"tvchosun", "http://news.tvchosun.com/site/data/html_dir/2023/04/21/2023042190126.html", "2023042190126"},
	{"ichannela", "https://ichannela.com/news/detail/000000548784.do", "000000548784"},
	{"ichannela", "https://ichannela.com/news/detail/76912379-3.do", "76912379-3"},
	{"ichannela", "https://www.ichannela.com/news/main/news_detailPage.do?publishId=000000353361", "000000353361"},
	{"ichannela", "http://m.ichannela.com/news/main/news_detailPage_mob.do?publishId=000000353361&utm_source=naver", "000000353361"},
	{"yonhapnewstv", "https://www.yonhapnewstv.co.kr/news/MYH20230420009000641", ""},
	{"yonhapnewstv", "https://yonhapnewstv.co.kr/news/AKR202511131509545Wu", ""},
	{"yonhapnewstv", "http://www.yonhapnewstv.co.kr/news/MYH20230418010100641", ""},

	// Economic dailies.
	{"mk", "https://www.mk.co.kr/news/politics/11333783", "11333783"},
	{"mk", "https://www.mk.co.kr/article/12055579", "12055579"},
	{"mk", "https://www.mk.co.kr/news/stock/11330362", "11330362"},
	{"hankyung", "https://www.hankyung.com/article/2025111289706", "2025111289706"},
	{"hankyung", "https://www.hankyung.com/article/202402168434g", "202402168434g"},
	{"hankyung", "https://www.hankyung.com/article/202602156632i", "202602156632i"},
	{"hankyung", "https://www.hankyung.com/economy/article/202203314153Y", "202203314153Y"},
	{"mt", "https://www.mt.co.kr/tech/2026/05/22/2026052215283358675", "2026052215283358675"},
	{"mt", "https://www.mt.co.kr/finance/2026/07/05/2026070418075313755", "2026070418075313755"},
	{"edaily", "https://www.edaily.co.kr/news/read?newsId=01420246635670256&mediaCodeNo=257", "01420246635670256"},
	{"edaily", "https://www.edaily.co.kr/News/Read?newsId=02482966645485984&mediaCodeNo=257", "02482966645485984"},
	{"edaily", "https://www.edaily.co.kr/News/Read?newsId=33902086645610296&mediaCodeNo=257", "33902086645610296"},
	{"edaily", "http://www.edaily.co.kr/news/newspath.asp?newsid=33902086645610296", "33902086645610296"},
	{"edaily", "http://starin.edaily.co.kr/news/newspath.asp?newsId=01154566622621104", "01154566622621104"},
	{"asiae", "https://www.asiae.co.kr/article/2024052215114422592", "2024052215114422592"},
	{"asiae", "https://view.asiae.co.kr/article/2025100109354996366", "2025100109354996366"},
	{"heraldcorp", "https://biz.heraldcorp.com/article/3158791", "3158791"},
	{"sedaily", "https://www.sedaily.com/article/20076672?ref=naver", "20076672"},
	{"sedaily", "https://www.sedaily.com/article/14110006", "14110006"},
	{"sedaily", "https://www.sedaily.com/NewsView/2D9ACT14IL", "2D9ACT14IL"},
	{"sedaily", "https://www.sedaily.com/NewsVIew/264JCD22MW", "264JCD22MW"},
	{"fnnews", "https://www.fnnews.com/news/202302221044408877", "202302221044408877"},
	{"fnnews", "http://www.fnnews.com/news/202505081337451055", "202505081337451055"},

	// Internet and IT outlets.
	{"pressian", "https://www.pressian.com/pages/articles/2026081019291161597", "2026081019291161597"},
	{"pressian", "https://www.pressian.com/pages/articles/2023080211101498100", "2023080211101498100"},
	{"pressian", "http://m.pressian.com/m/m_article.html?no=138940", "138940"},
	{"ohmynews", "https://www.ohmynews.com/NWS_Web/View/at_pg.aspx?CNTN_CD=A0002220525", "A0002220525"},
	{"ohmynews", "https://www.ohmynews.com/NWS_Web/View/at_pg.aspx?CNTN_CD=A0003247185", "A0003247185"},
	{"ohmynews", "https://m.ohmynews.com/NWS_Web/Mobile/at_pg.aspx?CNTN_CD=A0003247185", "A0003247185"},
	{"nocutnews", "https://www.nocutnews.co.kr/news/6508138", "6508138"},
	{"nocutnews", "https://www.nocutnews.co.kr/news/640245", "640245"},
	{"nocutnews", "https://www.nocutnews.co.kr/news/5008638", "5008638"},
	{"zdnet", "https://zdnet.co.kr/view/?no=20260323181112", "20260323181112"},
	{"zdnet", "https://zdnet.co.kr/view/?no=20260420161504", "20260420161504"},
	{"etnews", "https://www.etnews.com/20260825000262", "20260825000262"},
	{"etnews", "https://www.etnews.com/20250729000191?mc=ns_001_00001", "20250729000191"},
	{"ndsoft", "https://news.einfomax.co.kr/news/articleView.html?idxno=4296544", ""},
	{"entermedia", "http://entermedia.co.kr/news/news_view.html?idx=8576&page=1&bc=03&mc=08&find=&sch_date=", ""},

	// English-language outlets.
	{"koreaherald", "https://www.koreaherald.com/article/10390038", "10390038"},
	{"koreaherald", "https://www.koreaherald.com/article/2777830", "2777830"},
	{"koreatimes", "https://www.koreatimes.co.kr/business/companies/20260619/openai-brings-chatgpt-ads-to-korea-keeps-paid-plans-ad-free", "openai-brings-chatgpt-ads-to-korea-keeps-paid-plans-ad-free"},

	// Portals.
	{"naver", "https://n.news.naver.com/mnews/article/018/0006163369", ""},
	{"naver", "https://n.news.naver.com/article/032/0003178580?cds=news_media_pc&type=editn", ""},
	{"naver", "https://n.news.naver.com/article/newspaper/025/0003508802", ""},
	{"naver", "https://news.naver.com/article/025/0003508802", ""},
	{"naver", "https://m.entertain.naver.com/article/109/0005084283", ""},
	{"naver", "https://news.naver.com/main/read.naver?mode=LSD&mid=shm&sid1=103&oid=081&aid=0003219994", ""},
	{"naver", "https://n.news.naver.com/mnews/article/003/0012577249", ""},
	{"naver", "https://news.naver.com/main/read.naver?mode=LSD&mid=sec&oid=001&aid=0009205077&sid1=001", ""},
	{"naver", "https://sports.news.naver.com/news?oid=477&aid=0000073768", ""},
	{"daum", "https://v.daum.net/v/20241028164052926", "20241028164052926"},
	{"daum", "https://news.v.daum.net/v/20200618132403197", "20200618132403197"},
	{"daum", "https://v.daum.net/v/20260216172925922", "20260216172925922"},
	{"daum", "https://news.v.daum.net/v/oU43f89lSh", ""},
}

// profIndexURLs are home, section, list, feed and sitemap URLs, and
// near-miss article URLs, that the outlet's profile must not take for
// articles.
var profIndexURLs = []struct {
	id, url string
}{
	{"yonhap", "https://www.yna.co.kr/"},
	{"yonhap", "https://en.yna.co.kr/"},
	{"yonhap", "https://en.yna.co.kr/news"},
	{"yonhap", "https://www.yna.co.kr/politics/all"},
	{"yonhap", "https://www.yna.co.kr/news?site=navi_latest_depth01"},
	{"yonhap", "https://www.yna.co.kr/rss/news.xml"},
	{"yonhap", "https://en.yna.co.kr/news-sitemap.xml"},
	{"yonhap", "https://www.yna.co.kr/view/AKR2023112015250000"},   // id cut short
	{"yonhap", "https://www.yna.co.kr/view/AKR202311201525000031"}, // id too long
	{"newsis", "https://www.newsis.com/"},
	{"newsis", "https://www.newsis.com/RSS/sokbo.xml"},
	{"newsis", "https://www.newsis.com/sitemap.xml"},
	{"news1", "https://www.news1.kr/"},
	{"news1", "https://www.news1.kr/politics"},
	{"news1", "https://www.news1.kr/politics/assembly"},
	{"chosun", "https://www.chosun.com/"},
	{"chosun", "https://www.chosun.com/national/"},
	{"chosun", "https://www.chosun.com/opinion/editorial/"},
	{"joongang", "https://www.joongang.co.kr/"},
	{"joongang", "https://www.joongang.co.kr/politics"},
	{"joongang", "https://www.joongang.co.kr/opinion/editorialcolumn"},
	{"joongang", "https://www.joongang.co.kr/sitemap/index/2026/01/06"},
	{"donga", "https://www.donga.com/"},
	{"donga", "https://rss.donga.com/total.xml"},
	{"donga", "https://www.donga.com/sitemap/donga-newsmap.xml"},
	{"hani", "https://www.hani.co.kr/"},
	{"hani", "https://www.hani.co.kr/arti/society"},
	{"hani", "https://www.hani.co.kr/arti/list.html"},
	{"khan", "https://www.khan.co.kr/"},
	{"khan", "https://www.khan.co.kr/realtime/articles"},
	{"hankookilbo", "https://www.hankookilbo.com/"},
	{"hankookilbo", "https://www.hankookilbo.com/News/Politics"},
	{"hankookilbo", "https://www.hankookilbo.com/sitemap/latest-articles"},
	{"seoul", "https://www.seoul.co.kr/"},
	{"seoul", "https://www.seoul.co.kr/news/economy/estate"},
	{"seoul", "https://www.seoul.co.kr/xml/rss/google_plan.xml"},
	{"kmib", "https://www.kmib.co.kr/"},
	{"kmib", "https://www.kmib.co.kr/rss/data/kmibRssAll.xml"},
	{"segye", "https://www.segye.com/"},
	{"segye", "http://www.segye.com/Articles/RSSList/segye_recent.xml"},
	{"munhwa", "https://www.munhwa.com/"},
	{"munhwa", "https://www.munhwa.com/news/section_list.html?sec=pol"},
	{"kbs", "https://news.kbs.co.kr/"},
	{"kbs", "https://news.kbs.co.kr/sitemap/dailyNewsList.xml"},
	{"mbc", "https://imnews.imbc.com/"},
	{"mbc", "https://imnews.imbc.com/page/include/js/json/sitemap.xml"},
	{"sbs", "https://news.sbs.co.kr/news/newsflashRssFeed.do"},
	{"sbs", "https://news.sbs.co.kr/news/sitemap.do"},
	{"ytn", "https://www.ytn.co.kr/"},
	{"ytn", "https://www.ytn.co.kr/news/list.php"},
	{"jtbc", "https://news.jtbc.co.kr/"},
	{"jtbc", "https://fs.jtbc.co.kr/RSS/newsflash.xml"},
	{"mbn", "https://www.mbn.co.kr/news/society/"},
	{"tvchosun", "https://news.tvchosun.com/"},
	{"tvchosun", "https://news.tvchosun.com/site/data/rss/rss.xml"},
	{"ichannela", "https://www.ichannela.com/"},
	{"yonhapnewstv", "https://www.yonhapnewstv.co.kr/"},
	{"yonhapnewstv", "https://www.yonhapnewstv.co.kr/browse/feed/"},
	{"mk", "https://www.mk.co.kr/news/politics/"},
	{"mk", "https://www.mk.co.kr/sitemap/latest-articles/"},
	{"hankyung", "https://www.hankyung.com/"},
	{"hankyung", "https://www.hankyung.com/economy"},
	{"hankyung", "https://www.hankyung.com/opinion/0001"},
	{"hankyung", "https://www.hankyung.com/feed/all-news"},
	{"hankyung", "https://www.hankyung.com/sitemap/daily-article/20260101.xml"},
	{"mt", "https://www.mt.co.kr/"},
	{"mt", "https://www.mt.co.kr/breakingnews"},
	{"mt", "http://rss.mt.co.kr/mt_news.xml"},
	{"mt", "https://www.mt.co.kr/sitemap/latest.xml"},
	{"edaily", "https://www.edaily.co.kr/"},
	{"edaily", "http://rss.edaily.co.kr/edaily_news.xml"},
	{"asiae", "https://www.asiae.co.kr/"},
	{"asiae", "https://view.asiae.co.kr/rss/all.htm"},
	{"heraldcorp", "https://biz.heraldcorp.com/"},
	{"heraldcorp", "https://biz.heraldcorp.com/rss/google/newsAll"},
	{"sedaily", "https://www.sedaily.com/"},
	{"sedaily", "https://www.sedaily.com/business/corporation"},
	{"fnnews", "https://www.fnnews.com/"},
	{"pressian", "https://www.pressian.com/"},
	{"pressian", "https://www.pressian.com/pages/news-all"},
	{"pressian", "https://www.pressian.com/pages/news-politics-list?page=2"},
	{"ohmynews", "https://www.ohmynews.com/"},
	{"ohmynews", "http://rss.ohmynews.com/rss/ohmynews.xml"},
	{"nocutnews", "https://www.nocutnews.co.kr/"},
	{"nocutnews", "https://rss.nocutnews.co.kr/news/news.xml"},
	{"zdnet", "https://zdnet.co.kr/"},
	{"zdnet", "https://zdnet.co.kr/view/?no=2026"},
	{"etnews", "https://www.etnews.com/"},
	{"etnews", "https://rss.etnews.com/Section901.xml"},
	{"ndsoft", "https://news.einfomax.co.kr/"},
	{"ndsoft", "https://news.einfomax.co.kr/rss/allArticle.xml"},
	{"ndsoft", "https://news.einfomax.co.kr/rssIndex.html"},
	{"koreaherald", "https://www.koreaherald.com/"},
	{"koreaherald", "https://www.koreaherald.com/rss/newsAll"},
	{"koreatimes", "https://www.koreatimes.co.kr/"},
	{"koreatimes", "https://www.koreatimes.co.kr/business/companies"},
	{"koreatimes", "https://feed.koreatimes.co.kr/k/allnews.xml"},
	{"naver", "https://n.news.naver.com/mnews/ranking"},
	{"naver", "https://news.naver.com/"},
	{"naver", "https://news.naver.com/section/100"},
	{"daum", "https://news.daum.net/politics"},
	{"daum", "https://v.daum.net/"},
}

func profBuiltin(t *testing.T) *Profiles {
	t.Helper()
	ps, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return ps
}

// TestBuiltinProfiles checks every embedded profile file: it decodes, holds
// outlets named after the file, and claims hosts no other profile claims.
func TestBuiltinProfiles(t *testing.T) {
	ps := profBuiltin(t)
	if len(ps.All()) == 0 {
		t.Fatal("Builtin: no profiles")
	}
	names, err := fs.Glob(builtinFS, "profiles/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(path.Base(name), func(t *testing.T) {
			b, err := builtinFS.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeProfiles(name, b)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 1 {
				if want := strings.TrimSuffix(path.Base(name), ".yaml"); got[0].ID != want {
					t.Errorf("profile id %q in %s, want %q (one file per outlet, named after its id)", got[0].ID, name, want)
				}
			}
			for _, p := range got {
				if len(p.Hosts) == 0 {
					t.Errorf("profile %s: no hosts", p.ID)
				}
				if len(p.ArticlePatterns) == 0 && p.Detect == "" {
					t.Errorf("profile %s: neither article patterns nor detect", p.ID)
				}
				for i, re := range p.code().patterns {
					if re.NumSubexp() == 0 {
						t.Errorf("profile %s: article pattern %q has no group for the article key", p.ID, p.ArticlePatterns[i])
					}
				}
				for _, h := range p.Hosts {
					if q := ps.ForURL("https://" + h + "/"); q == nil || q.ID != p.ID {
						t.Errorf("profile %s: host %s is not looked up to it", p.ID, h)
					}
				}
			}
		})
	}
}

func TestProfileArticleURLs(t *testing.T) {
	ps := profBuiltin(t)
	for _, tc := range profArticleURLs {
		p := ps.ByID(tc.id)
		if p == nil {
			continue // not written yet
		}
		t.Run(tc.id+"/"+tc.url, func(t *testing.T) {
			if !p.IsArticleURL(tc.url) {
				t.Fatalf("IsArticleURL = false, want true")
			}
			key := p.ArticleKey(tc.url)
			switch {
			case key == "":
				t.Errorf("ArticleKey = \"\", want a key")
			case tc.key != "" && key != tc.key:
				t.Errorf("ArticleKey = %q, want %q", key, tc.key)
			}
			// An article URL belongs to one outlet only.
			for _, q := range ps.All() {
				if q.ID != p.ID && q.IsArticleURL(tc.url) {
					t.Errorf("profile %s also takes it for an article", q.ID)
				}
			}
		})
	}
}

func TestProfileRejectsIndexURLs(t *testing.T) {
	ps := profBuiltin(t)
	for _, tc := range profIndexURLs {
		p := ps.ByID(tc.id)
		if p == nil {
			continue // not written yet
		}
		t.Run(tc.id+"/"+tc.url, func(t *testing.T) {
			if p.IsArticleURL(tc.url) {
				t.Errorf("IsArticleURL = true (key %q), want false", p.ArticleKey(tc.url))
			}
		})
	}
}

// profHostVariants returns u with its host's www. or m. prefix swapped for
// the other one, or with both added: www.x → m.x; x → www.x and m.x. (The
// bare x is left out: a profile may claim only its outlet's subdomains.)
func profHostVariants(t *testing.T, raw string) []string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	host := u.Hostname()
	base := strings.TrimPrefix(strings.TrimPrefix(host, "www."), "m.")
	var out []string
	for _, h := range []string{"www." + base, "m." + base} {
		if h == host {
			continue
		}
		v := *u
		v.Host = h
		out = append(out, v.String())
	}
	return out
}

func TestProfileForURL(t *testing.T) {
	ps := profBuiltin(t)
	for _, tc := range profArticleURLs {
		if ps.ByID(tc.id) == nil {
			continue // not written yet
		}
		t.Run(tc.id+"/"+tc.url, func(t *testing.T) {
			for _, u := range append([]string{tc.url}, profHostVariants(t, tc.url)...) {
				got := ps.ForURL(u)
				if got == nil || got.ID != tc.id {
					id := "<nil>"
					if got != nil {
						id = got.ID
					}
					t.Errorf("ForURL(%s) = %s, want %s", u, id, tc.id)
				}
			}
		})
	}

	others := []struct {
		url     string
		want    string // "" for no profile
		notWant string
	}{
		{url: "HTTPS://WWW.YNA.CO.KR/view/AKR20231120152500003", want: "yonhap"},
		{url: "https://www.yna.co.kr:443/view/AKR20231120152500003", want: "yonhap"},
		{url: "https://www.yna.co.kr./view/AKR20231120152500003", want: "yonhap"},
		// A host that only ends like an outlet's is not the outlet's.
		{url: "https://notyna.co.kr/view/AKR20231120152500003", notWant: "yonhap"},
		{url: "https://www.yonhapnewstv.co.kr/news/MYH20230420009000641", notWant: "yonhap"},
		{url: "https://news.tvchosun.com/site/data/html_dir/2023/04/21/2023042190135.html", notWant: "chosun"},
		{url: "https://www.koreaherald.com/article/10390038", notWant: "heraldcorp"},
		{url: "https://www.example.com/view/AKR20231120152500003"},
		{url: "/view/AKR20231120152500003"},
		{url: "not a url"},
		{url: ""},
	}
	for _, tc := range others {
		t.Run("other/"+tc.url, func(t *testing.T) {
			got := ps.ForURL(tc.url)
			id := ""
			if got != nil {
				id = got.ID
			}
			switch {
			case tc.notWant != "":
				if id == tc.notWant {
					t.Errorf("ForURL(%q) = %s", tc.url, id)
				}
			case tc.want != "" && ps.ByID(tc.want) == nil:
				// not written yet
			case id != tc.want:
				t.Errorf("ForURL(%q) = %q, want %q", tc.url, id, tc.want)
			}
		})
	}
}

// TestDecodeProfilesRefuses checks that a malformed profile is refused with
// an error naming the file, the entry and the reason.
func TestDecodeProfilesRefuses(t *testing.T) {
	const head = "id: acme\nname: 에이크미\nhosts: [acme.example]\n"
	tests := []struct {
		name string
		file string
		yaml string
		want []string // substrings of the error
	}{
		{
			name: "bad article pattern",
			file: "acme.yaml",
			yaml: head + "article_patterns: ['^https?://acme\\.example/(?P<id>\\d+']\n",
			want: []string{"acme.yaml", "profile acme", "article pattern", `(?P<id>\d+`, "missing closing )"},
		},
		{
			name: "unknown key",
			file: "acme.yaml",
			yaml: head + "feed: [https://acme.example/rss]\n",
			want: []string{"acme.yaml", "line 4", "field feed not found"},
		},
		{
			name: "unknown extract key",
			file: "acme.yaml",
			yaml: head + "extract:\n  headline: [h1]\n",
			want: []string{"acme.yaml", "line 5", "field headline not found"},
		},
		{
			name: "bad selector",
			file: "acme.yaml",
			yaml: head + "extract:\n  title: ['h1[']\n",
			want: []string{"acme.yaml", "profile acme", "extract.title", `"h1["`},
		},
		{
			name: "bad selector with attribute",
			file: "acme.yaml",
			yaml: head + "extract:\n  published: ['time[@datetime']\n",
			want: []string{"acme.yaml", "profile acme", "extract.published", "time["},
		},
		{
			name: "bad detect",
			file: "acme.yaml",
			yaml: head + "detect: 'div>>'\n",
			want: []string{"acme.yaml", "profile acme", "detect"},
		},
		{
			name: "bad boilerplate",
			file: "acme.yaml",
			yaml: head + "boilerplate: ['(?P<x']\n",
			want: []string{"acme.yaml", "profile acme", "boilerplate"},
		},
		{
			name: "bad breaks",
			file: "acme.yaml",
			yaml: head + "extract:\n  breaks: line\n",
			want: []string{"acme.yaml", "profile acme", "extract.breaks", `"line"`},
		},
		{
			name: "bad host",
			file: "acme.yaml",
			yaml: "id: acme\nname: 에이크미\nhosts: ['https://acme.example/']\n",
			want: []string{"acme.yaml", "profile acme", "host", "bare host name"},
		},
		{
			name: "bad id",
			file: "acme.yaml",
			yaml: "id: Acme Daily\nname: 에이크미\n",
			want: []string{"acme.yaml", "Acme Daily", "id"},
		},
		{
			name: "no name",
			file: "acme.yaml",
			yaml: "id: acme\nhosts: [acme.example]\n",
			want: []string{"acme.yaml", "profile acme", "name is empty"},
		},
		{
			name: "second profile of a list",
			file: "group.yaml",
			yaml: "- id: acme\n  name: 에이크미\n- id: bolt\n  name: 볼트\n  article_patterns: ['[']\n",
			want: []string{"group.yaml", "profile bolt", "article pattern"},
		},
		{
			name: "list entry without id",
			file: "group.yaml",
			yaml: "- id: acme\n  name: 에이크미\n- name: 볼트\n",
			want: []string{"group.yaml", "profile #2", "id"},
		},
		{
			name: "second document",
			file: "docs.yaml",
			yaml: head + "---\nid: bolt\nname: 볼트\nextract:\n  body: ['p:nope']\n",
			want: []string{"docs.yaml", "profile bolt", "extract.body"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := DecodeProfiles(tc.file, []byte(tc.yaml))
			if err == nil {
				t.Fatalf("DecodeProfiles = %d profiles, nil error; want an error", len(ps))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestNewProfilesDuplicateHost(t *testing.T) {
	decode := func(file, y string) []*Profile {
		t.Helper()
		ps, err := DecodeProfiles(file, []byte(y))
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	acme := decode("acme.yaml", "id: acme\nname: 에이크미\nhosts: [acme.example, news.acme.example]\n")
	bolt := decode("bolt.yaml", "id: bolt\nname: 볼트\nhosts: [bolt.example, NEWS.ACME.example]\n")
	_, err := NewProfiles(append(acme, bolt...)...)
	if err == nil {
		t.Fatal("NewProfiles: nil error for two profiles claiming news.acme.example")
	}
	for _, w := range []string{"profile bolt", "news.acme.example", "profile acme"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %q", err, w)
		}
	}

	// A subdomain of another profile's host is a different claim, and the
	// more specific host wins the lookup.
	sub := decode("acmesports.yaml", "id: acmesports\nname: 에이크미스포츠\nhosts: [sports.acme.example]\n")
	set, err := NewProfiles(append(acme, sub...)...)
	if err != nil {
		t.Fatalf("NewProfiles: %v", err)
	}
	if p := set.ForURL("https://m.sports.acme.example/a/1"); p == nil || p.ID != "acmesports" {
		t.Errorf("ForURL(sports subdomain) = %v, want acmesports", p)
	}
	if p := set.ForURL("https://www.acme.example/a/1"); p == nil || p.ID != "acme" {
		t.Errorf("ForURL(www) = %v, want acme", p)
	}

	// The same id again replaces the profile (a user's override), hosts and all.
	over := decode("acme.yaml", "id: acme\nname: 에이크미2\nhosts: [acme.example]\n")
	set, err = set.With(over...)
	if err != nil {
		t.Fatalf("With: %v", err)
	}
	if p := set.ByID("acme"); p == nil || p.Name != "에이크미2" {
		t.Errorf("ByID(acme) after override = %v", p)
	}
	if p := set.ForURL("https://news.acme.example/"); p == nil || p.ID != "acme" {
		t.Errorf("ForURL(news.acme.example) after override = %v, want acme", p)
	}

	// A user profile may not take a built-in outlet's host under another id.
	builtin := profBuiltin(t)
	for _, b := range builtin.All() {
		if len(b.Hosts) == 0 {
			continue
		}
		thief := decode("user.yaml", "id: thief\nname: 도둑\nhosts: ["+b.Hosts[0]+"]\n")
		if _, err := builtin.With(thief...); err == nil || !strings.Contains(err.Error(), b.Hosts[0]) {
			t.Errorf("With(profile claiming %s) error = %v, want one naming the host", b.Hosts[0], err)
		}
		break
	}
}

// TestProfileYonhapEnglishPage parses the corpus page of Yonhap's English
// edition, where the yonhap profile's English selectors were checked.
func TestProfileYonhapEnglishPage(t *testing.T) {
	const dir = "../../shared/corpus/ko"
	body, err := os.ReadFile(dir + "/html/yonhapen_1.html")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("shared corpus not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	tb, err := os.ReadFile(dir + "/truth/yonhapen_1.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		URL, Outlet, Title, Body string
	}
	if err := json.Unmarshal(tb, &truth); err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Parse(article.Page{URL: truth.URL, ContentType: "text/html; charset=utf-8", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if a.Extraction.Profile != "yonhap" {
		t.Fatalf("profile = %q, want yonhap", a.Extraction.Profile)
	}
	if a.ID != "yonhap-AEN20230419005600315" {
		t.Errorf("ID = %q, want yonhap-AEN20230419005600315", a.ID)
	}
	if a.Title != truth.Title || a.Extraction.Sources["title"] != srcProfile {
		t.Errorf("title = %q from %q, want %q from the profile", a.Title, a.Extraction.Sources["title"], truth.Title)
	}
	if a.Outlet.Name != truth.Outlet {
		t.Errorf("outlet name = %q, want %q", a.Outlet.Name, truth.Outlet)
	}
	if len(a.Reporters) != 1 || a.Reporters[0].Name != "Lee Haye-ah" || a.Extraction.Sources["reporters"] != srcProfile {
		t.Errorf("reporters = %+v from %q, want Lee Haye-ah from the profile's byline", a.Reporters, a.Extraction.Sources["reporters"])
	}
	if a.Extraction.Sources["body"] != srcProfile {
		t.Errorf("body from %q, want the profile", a.Extraction.Sources["body"])
	}
	for _, para := range strings.Split(truth.Body, "\n\n") {
		// The dateline prefix is the byline code's to remove; compare the
		// paragraphs' ends.
		if i := strings.Index(para, "(Yonhap) -- "); i >= 0 {
			para = para[i+len("(Yonhap) -- "):]
		}
		if !strings.Contains(a.Body, para) {
			t.Errorf("body lacks %q", para)
		}
	}
	for _, bad := range []string{"Digital Platform Government", "(END)", "Keywords", "Most Liked"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body holds %q", bad)
		}
	}
}

// TestBuiltinCompiledOnUse checks that loading the built-in profiles
// compiles none of their patterns and selectors, that parsing a page
// compiles only the profile its URL picks, and that every built-in profile
// compiles, concurrently, to what DecodeProfiles compiles from its YAML.
func TestBuiltinCompiledOnUse(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	built := func() []string {
		var ids []string
		for _, p := range set.All() {
			if p.lazy == nil {
				t.Fatalf("profile %s: no code holder", p.ID)
			}
			if p.lazy.code != nil {
				ids = append(ids, p.ID)
			}
		}
		return ids
	}
	if ids := built(); len(ids) > 0 {
		t.Fatalf("Builtin compiled %v before any use", ids)
	}
	p, err := New(Options{Profiles: set})
	if err != nil {
		t.Fatal(err)
	}
	page := `<html><head><title>제목</title></head><body><article><p>본문입니다. 본문입니다.</p></article></body></html>`
	_, _ = p.Parse(article.Page{URL: "https://www.hani.co.kr/arti/society/1.html", Body: []byte(page)})
	if ids := built(); len(ids) != 1 || ids[0] != "hani" {
		t.Fatalf("after parsing one hani page, compiled %v; want [hani]", ids)
	}
	yamlPs := decodeBuiltinYAML(t)
	done := make(chan struct{})
	for _, q := range set.All() {
		go func() { defer func() { done <- struct{}{} }(); q.code() }()
	}
	for range set.All() {
		<-done
	}
	for i, q := range set.All() {
		got, want := q.code(), yamlPs[i].code()
		if q.ID != yamlPs[i].ID || len(got.patterns) != len(want.patterns) || len(got.boilerplate) != len(want.boilerplate) ||
			len(got.match) != len(want.match) || (got.detect == nil) != (want.detect == nil) || !reflect.DeepEqual(got.keys, want.keys) {
			t.Errorf("profile %s: compiled on use differs from its YAML's", q.ID)
		}
	}
}
