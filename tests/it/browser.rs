//! A browser as the tests drive one: a cookie jar, no automatic redirects, the CSRF
//! token read from the pages, and the page's parts a user looks at.

use reqwest::header::LOCATION;

pub struct Page {
    pub status: u16,
    pub location: String,
    pub body: String,
    pub statements: Option<usize>,
}

impl Page {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }
    /// The texts of every element matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }
    /// The `href`s of every element matching a CSS selector.
    pub fn hrefs(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr("href").map(str::to_string))
            .collect()
    }
    /// An attribute of every element matching a CSS selector (forms' `action`…).
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }
    /// The value of a form input by name.
    pub fn input(&self, name: &str) -> Option<String> {
        let sel = scraper::Selector::parse(&format!("[name=\"{name}\"]")).unwrap();
        let html = self.html();
        let el = html.select(&sel).next()?;
        match el.value().name() {
            "textarea" => Some(el.text().collect()),
            "select" => {
                let opt = scraper::Selector::parse("option[selected]").unwrap();
                Some(
                    el.select(&opt)
                        .next()
                        .and_then(|o| o.value().attr("value"))
                        .unwrap_or("")
                        .to_string(),
                )
            }
            _ if el.value().attr("type") == Some("checkbox") => {
                Some(if el.value().attr("checked").is_some() {
                    "on".into()
                } else {
                    String::new()
                })
            }
            _ => Some(el.value().attr("value").unwrap_or("").to_string()),
        }
    }
    /// The error message shown beside a field.
    pub fn field_error(&self, name: &str) -> Option<String> {
        self.texts(&format!("#e-{name}")).into_iter().next()
    }
    /// The first-column texts of a list table.
    pub fn list_names(&self) -> Vec<String> {
        // An empty list's one cell (with its "add the first one" link) is no row.
        self.texts("table.list tbody tr td:first-child:not(.empty) a")
    }
}

pub struct Browser {
    pub(crate) http: reqwest::Client,
    pub(crate) jar: std::sync::Arc<reqwest::cookie::Jar>,
    pub(crate) base: String,
    pub csrf: String,
    /// The team (tenant sign-in code) `login` names: tenant A's unless set.
    pub team: String,
}

impl Browser {
    /// The `Cookie` header this browser sends (to copy it into another client).
    pub fn cookie_header(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    /// The underlying HTTP client and base URL, for requests the helpers do not cover.
    pub fn raw(&self) -> (&reqwest::Client, &str) {
        (&self.http, &self.base)
    }

    async fn page(resp: reqwest::Response) -> Page {
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let statements = resp
            .headers()
            .get("x-sql-statements")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        Page {
            status,
            location,
            body: resp.text().await.unwrap(),
            statements,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts a form with this session's CSRF token, as the browser would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &self.csrf));
        self.post_raw(path, &all).await
    }

    /// Uploads a file as the browser's multipart form does (the CSRF token is the form's
    /// first field).
    pub async fn upload(
        &self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", self.csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
        let url = format!("{}{path}", self.base);
        Self::page(self.http.post(url).multipart(form).send().await.unwrap()).await
    }

    /// The raw response of a GET (for downloads: headers and bytes).
    pub async fn get_raw(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Self::page(
            self.http
                .post(format!("{}{path}", self.base))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Reads the CSRF token from a page's forms.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/login").await;
        self.csrf = page
            .input("csrf_token")
            .expect("the login form has a CSRF token");
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Page {
        self.refresh_csrf().await;
        self.post(
            "/login",
            &[
                ("team", &self.team.clone()),
                ("email", email),
                ("password", password),
                ("next", "/clients"),
            ],
        )
        .await
    }

    /// Follows a redirect.
    pub async fn follow(&self, page: &Page) -> Page {
        assert!(
            page.status == 303 || page.status == 302,
            "expected a redirect, got {}: {}",
            page.status,
            page.body
        );
        self.get(&page.location).await
    }
}
