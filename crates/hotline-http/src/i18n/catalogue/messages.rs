//! Problem texts: English → Vietnamese. `{}` is a value put back where the
//! Vietnamese has it (translated when it is English text), `{*}` a value
//! kept word for word (a code, a number), `{f}` a field name (one word),
//! `{p}` a parser's own message (translated phrase by phrase). Grouped as the API makes
//! them.

pub const MESSAGES: &[(&str, &str)] = &[
    // Problem titles.
    ("Authentication required", "Cần xác thực"),
    ("Bad request", "Yêu cầu không hợp lệ"),
    ("Conflict", "Xung đột dữ liệu"),
    ("Idempotency-Key reused", "Idempotency-Key đã được dùng"),
    ("Internal error", "Lỗi hệ thống"),
    ("Invalid parameter", "Tham số không hợp lệ"),
    ("Malformed request", "Yêu cầu sai định dạng"),
    ("Method not allowed", "Phương thức không được hỗ trợ"),
    ("Not allowed", "Không được phép"),
    ("Not found", "Không tìm thấy"),
    ("Not ready", "Chưa sẵn sàng"),
    ("Payload too large", "Nội dung quá lớn"),
    ("Precondition failed", "Điều kiện không thỏa"),
    ("Precondition required", "Thiếu điều kiện If-Match"),
    ("Request timeout", "Hết thời gian chờ yêu cầu"),
    ("Service unavailable", "Dịch vụ tạm thời không sẵn sàng"),
    ("Timeout", "Hết thời gian xử lý"),
    ("Too many requests", "Quá nhiều yêu cầu"),
    ("Unsupported media type", "Kiểu nội dung không được hỗ trợ"),
    ("Validation failed", "Dữ liệu không hợp lệ"),
    // Problem details the API makes itself.
    (
        "{*} field(s) are invalid; see `errors`",
        "{*} trường không hợp lệ; xem `errors`",
    ),
    ("{f}: {}", "{f}: {}"),
    ("no such {}", "không có {} này"),
    ("no such resource", "không có tài nguyên này"),
    ("no such {} for this request", "không có {} phù hợp với yêu cầu này"),
    (
        "the resource was changed since you read it: fetch it again and re-apply your change",
        "dữ liệu đã bị người khác thay đổi sau khi bạn đọc: hãy tải lại và áp dụng lại thay đổi",
    ),
    (
        "send If-Match with the ETag you read, so concurrent edits are not lost",
        "hãy gửi If-Match với ETag bạn đã đọc để không mất thay đổi của người khác",
    ),
    (
        "too many failed attempts; retry in {*} s",
        "quá nhiều lần thử sai; thử lại sau {*} giây",
    ),
    (
        "the database is unavailable; retry shortly",
        "cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau ít phút",
    ),
    (
        "an unexpected error occurred; it has been logged",
        "đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi nhận",
    ),
    (
        "see the Allow header for the methods this resource takes",
        "xem header Allow để biết các phương thức tài nguyên này nhận",
    ),
    ("the request took too long to arrive", "yêu cầu gửi đến quá chậm"),
    (
        "the request body is larger than allowed",
        "nội dung yêu cầu lớn hơn mức cho phép",
    ),
    ("send application/json", "hãy gửi application/json"),
    (
        "send application/json or application/x-www-form-urlencoded",
        "hãy gửi application/json hoặc application/x-www-form-urlencoded",
    ),
    (
        "send the file as text/csv or application/octet-stream (UTF-8)",
        "hãy gửi tệp dạng text/csv hoặc application/octet-stream (UTF-8)",
    ),
    ("slow down and retry later", "hãy giảm tốc độ và thử lại sau"),
    ("retry shortly", "hãy thử lại sau ít phút"),
    ("the request took too long to process", "yêu cầu xử lý quá lâu"),
    ("the request could not be processed", "không xử lý được yêu cầu"),
    (
        "this Idempotency-Key was already used with a different request body",
        "Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác",
    ),
    (
        "a record with this value already exists ({*})",
        "đã có bản ghi mang giá trị này ({*})",
    ),
    ("database unreachable: {*}", "không kết nối được cơ sở dữ liệu: {*}"),
    ("background worker(s) failing: {*}", "tác vụ nền đang lỗi: {*}"),
    // Bodies, parameters and headers that cannot be read.
    (
        "the body is not valid JSON: {p}",
        "nội dung không phải JSON hợp lệ: {p}",
    ),
    ("must be a JSON object", "phải là một đối tượng JSON"),
    (
        "appears more than once in the object",
        "xuất hiện nhiều lần trong đối tượng",
    ),
    ("unknown field {*}", "trường không được hỗ trợ: {*}"),
    ("is not a known field: {*}", "không phải trường được hỗ trợ: {*}"),
    ("missing field {*}", "thiếu trường {*}"),
    ("unknown variant {*}", "giá trị không hợp lệ: {*}"),
    (
        "unknown variant {*}, expected one of {*}",
        "giá trị không hợp lệ: {*}; chỉ nhận một trong: {*}",
    ),
    ("invalid type: {p}, expected {p}", "sai kiểu dữ liệu: nhận {p}, cần {p}"),
    (
        "invalid value: {p}, expected {p}",
        "giá trị không hợp lệ: nhận {p}, cần {p}",
    ),
    (
        "invalid length {p}, expected {p}",
        "độ dài không hợp lệ: nhận {p}, cần {p}",
    ),
    ("invalid type: {p}", "sai kiểu dữ liệu: {p}"),
    ("invalid value: {p}", "giá trị không hợp lệ: {p}"),
    ("invalid digit found in string", "có ký tự không phải chữ số"),
    ("input is out of range", "giá trị nằm ngoài phạm vi cho phép"),
    ("input contains invalid characters", "dữ liệu chứa ký tự không hợp lệ"),
    (
        "is not a valid identifier ({*})",
        "không phải mã định danh hợp lệ ({*})",
    ),
    (
        "is not a cursor this service issued",
        "không phải con trỏ trang do dịch vụ này cấp",
    ),
    (
        "{*} is not an event id from this service",
        "{*} không phải mã sự kiện của dịch vụ này",
    ),
    (
        "must be an ETag this service issued (like {*}) or *",
        "phải là ETag do dịch vụ này cấp (như {*}) hoặc *",
    ),
    (
        "Idempotency-Key must be {*} to {*} characters",
        "Idempotency-Key phải dài từ {*} đến {*} ký tự",
    ),
    (
        "Idempotency-Key must be visible ASCII characters",
        "Idempotency-Key chỉ gồm ký tự ASCII hiển thị được",
    ),
    ("must be visible ASCII characters", "chỉ gồm ký tự ASCII hiển thị được"),
    ("must be one of: {*}", "phải là một trong: {*}"),
    ("must be text", "phải là văn bản"),
    (
        "must be an RFC 3339 instant ({*}) or a date ({*})",
        "phải là thời điểm RFC 3339 ({*}) hoặc một ngày ({*})",
    ),
    ("must be a time HH:MM", "phải là giờ dạng HH:MM"),
    ("must be a time of day, HH:MM", "phải là giờ trong ngày, dạng HH:MM"),
    (
        "must be hh:mm:ss or a number of seconds",
        "phải có dạng hh:mm:ss hoặc số giây",
    ),
    (
        "must be a UTC time like {*}, {*} or {*}",
        "phải là giờ UTC dạng {*}, {*} hoặc {*}",
    ),
    ("is not an absolute URL ({*})", "không phải URL đầy đủ ({*})"),
    // Sign-in and credentials.
    (
        "send Authorization: Bearer <access token or API key>",
        "hãy gửi Authorization: Bearer <access token hoặc API key>",
    ),
    (
        "send Authorization: Bearer <access token or API key>, or access_token in the query",
        "hãy gửi Authorization: Bearer <access token hoặc API key>, hoặc access_token trên query",
    ),
    ("use the Bearer scheme", "hãy dùng kiểu xác thực Bearer"),
    (
        "the Authorization header is not valid",
        "header Authorization không hợp lệ",
    ),
    (
        "the API key is unknown or revoked",
        "API key không tồn tại hoặc đã bị thu hồi",
    ),
    (
        "the access token is invalid or expired",
        "access token không hợp lệ hoặc đã hết hạn",
    ),
    ("the account is disabled or gone", "tài khoản đã bị khóa hoặc không còn"),
    (
        "the refresh token is unknown, expired or revoked",
        "refresh token không tồn tại, đã hết hạn hoặc đã bị thu hồi",
    ),
    (
        "this refresh token was already used; every token of that sign-in is now revoked",
        "refresh token này đã được dùng; mọi token của lần đăng nhập đó đã bị thu hồi",
    ),
    (
        "wrong username or password, or the account is disabled",
        "sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa",
    ),
    (
        "you cannot disable or demote yourself; ask another admin",
        "bạn không thể tự khóa hoặc hạ quyền mình; hãy nhờ quản trị viên khác",
    ),
    ("the username {*} is taken", "tên đăng nhập {*} đã có người dùng"),
    ("is too short", "quá ngắn"),
    // Roles: `the agent role may not …`.
    ("the {} role may not {}", "vai trò {} không được {}"),
    ("acknowledge this work order", "tiếp nhận phiếu công việc này"),
    ("add SLA policies", "thêm chính sách SLA"),
    ("add customers", "thêm khách hàng"),
    ("block numbers", "chặn số điện thoại"),
    ("cancel this work order", "hủy phiếu công việc này"),
    ("change SLA policies", "sửa chính sách SLA"),
    ("change calendars", "sửa lịch làm việc"),
    ("change calls", "sửa cuộc gọi"),
    ("change customers", "sửa khách hàng"),
    ("change the routing rules", "sửa quy tắc phân công"),
    ("comment on work orders", "bình luận phiếu công việc"),
    ("delete SLA policies", "xóa chính sách SLA"),
    ("edit articles", "soạn bài hướng dẫn"),
    ("import customers", "nhập danh sách khách hàng"),
    ("import units", "nhập danh sách đơn vị"),
    ("link calls", "liên kết cuộc gọi"),
    ("log calls", "ghi nhận cuộc gọi"),
    ("look up callers", "tra cứu người gọi"),
    ("manage API keys", "quản lý API key"),
    ("manage areas", "quản lý khu vực"),
    ("manage incidents", "quản lý sự cố"),
    ("manage planned outages", "quản lý lịch cắt điện"),
    ("manage rosters", "quản lý lịch trực"),
    ("manage teams", "quản lý tổ đội"),
    ("manage units", "quản lý đơn vị"),
    ("manage users", "quản lý người dùng"),
    ("manage webhooks", "quản lý webhook"),
    ("open work orders", "mở phiếu công việc"),
    ("push call events", "gửi sự kiện cuộc gọi"),
    ("read SLA policies", "xem chính sách SLA"),
    ("read calendars", "xem lịch làm việc"),
    ("read callbacks", "xem danh sách gọi lại"),
    ("read calls", "xem cuộc gọi"),
    ("read incidents", "xem sự cố"),
    ("read reports", "xem báo cáo"),
    ("read the audit trail", "xem nhật ký kiểm tra"),
    (
        "read the audit trail of users, API keys and webhooks",
        "xem nhật ký kiểm tra của người dùng, API key và webhook",
    ),
    ("read the blocked numbers", "xem danh sách số bị chặn"),
    ("read the customer directory", "xem danh bạ khách hàng"),
    ("read the organisation", "xem cơ cấu tổ chức"),
    ("read the routing rules", "xem quy tắc phân công"),
    ("record customer feedback", "ghi nhận phản hồi của khách hàng"),
    ("resolve this work order", "hoàn thành phiếu công việc này"),
    ("unblock numbers", "bỏ chặn số điện thoại"),
    ("work callbacks", "thực hiện gọi lại"),
    (
        "the agent role reads only the approved articles in force; leave out status",
        "vai trò agent chỉ đọc các bài đã duyệt đang hiệu lực; bỏ tham số status",
    ),
    (
        "supervisors manage only the teams of their own unit and the units below it",
        "giám sát viên chỉ quản lý tổ đội của đơn vị mình và các đơn vị cấp dưới",
    ),
    // Not found: the nouns.
    ("API key", "API key"),
    ("SLA policy", "chính sách SLA"),
    ("area", "khu vực"),
    ("article", "bài hướng dẫn"),
    ("article version", "phiên bản bài hướng dẫn"),
    ("blocked number", "số bị chặn"),
    ("calendar", "lịch làm việc"),
    ("call", "cuộc gọi"),
    ("callback", "yêu cầu gọi lại"),
    ("customer", "khách hàng"),
    ("incident", "sự cố"),
    ("planned outage", "lịch cắt điện"),
    ("team", "tổ đội"),
    ("unit", "đơn vị"),
    ("user", "người dùng"),
    ("webhook delivery", "lần gửi webhook"),
    ("webhook subscription", "đăng ký webhook"),
    ("work order", "phiếu công việc"),
    ("no unit {*}", "không có đơn vị {*}"),
    ("no work order {*}", "không có phiếu công việc {*}"),
    ("unknown areas: {*}", "không có các khu vực: {*}"),
    (
        "not in the customer directory: {*}",
        "không có trong danh bạ khách hàng: {*}",
    ),
    (
        "article {*} has no approved version {*}",
        "bài {*} không có phiên bản đã duyệt {*}",
    ),
    // Field messages.
    ("is required", "là bắt buộc"),
    ("is given twice", "bị lặp lại"),
    ("must not be empty", "không được để trống"),
    ("must not contain NUL characters", "không được chứa ký tự NUL"),
    (
        "must not contain control characters",
        "không được chứa ký tự điều khiển",
    ),
    ("must be at most {*} characters", "tối đa {*} ký tự"),
    ("must be at least {*} characters", "tối thiểu {*} ký tự"),
    ("must be {*} to {*} characters", "phải dài từ {*} đến {*} ký tự"),
    ("must be at least {*}", "phải từ {*} trở lên"),
    ("must be at least {*} hour", "phải ít nhất {*} giờ"),
    ("must be {*} to {*} hours", "phải từ {*} đến {*} giờ"),
    ("must be {*} to {*}", "phải từ {*} đến {*}"),
    ("must be from {*} to {*}", "phải từ {*} đến {*}"),
    ("must be between {*} and {*}", "phải nằm giữa {*} và {*}"),
    (
        "must be {*} to {*} letters and digits",
        "phải gồm {*} đến {*} chữ cái và chữ số",
    ),
    (
        "may contain only letters A–Z and digits",
        "chỉ được gồm chữ cái A–Z và chữ số",
    ),
    (
        "may contain only letters A–Z, digits, '-', '_' and '.'",
        "chỉ được gồm chữ cái A–Z, chữ số, '-', '_' và '.'",
    ),
    (
        "must start with the unit's letters followed by digits (e.g. {*})",
        "phải bắt đầu bằng các chữ cái của đơn vị rồi đến chữ số (ví dụ {*})",
    ),
    ("is not a phone number", "không phải số điện thoại"),
    ("contains letters", "có chứa chữ cái"),
    (
        "contains characters that are not allowed in a phone number",
        "có ký tự không được phép trong số điện thoại",
    ),
    ("at most {*} numbers", "tối đa {*} số điện thoại"),
    ("is not an e-mail address", "không phải địa chỉ e-mail"),
    ("is in the future", "ở trong tương lai"),
    ("must be in the future", "phải ở trong tương lai"),
    ("must be after {*}", "phải sau {*}"),
    ("must not be before {*}", "không được trước {*}"),
    ("must end after it starts", "phải kết thúc sau khi bắt đầu"),
    (
        "must start after the period before it ends",
        "phải bắt đầu sau khi khoảng trước kết thúc",
    ),
    (
        "must have at least one working period",
        "phải có ít nhất một khoảng giờ làm việc",
    ),
    (
        "contradicts answered_at: the call was answered",
        "mâu thuẫn với answered_at: cuộc gọi đã được trả lời",
    ),
    ("is outside your unit", "nằm ngoài đơn vị của bạn"),
    ("{*} is outside your unit", "{*} nằm ngoài đơn vị của bạn"),
    ("unit {*} is outside your unit", "đơn vị {*} nằm ngoài đơn vị của bạn"),
    (
        "the areas are served by unit {*}, outside your unit",
        "các khu vực do đơn vị {*} phụ trách, ngoài đơn vị của bạn",
    ),
    (
        "the customer belongs to a unit outside yours",
        "khách hàng thuộc đơn vị ngoài đơn vị của bạn",
    ),
    (
        "the team's unit {*} is not within the unit {*}",
        "đơn vị {*} của tổ đội không thuộc đơn vị {*}",
    ),
    (
        "{*} is below {*}; an area cannot move below itself",
        "{*} nằm dưới {*}; không thể chuyển khu vực xuống dưới chính nó",
    ),
    (
        "{*} is below {*}; a unit cannot move below itself",
        "{*} nằm dưới {*}; không thể chuyển đơn vị xuống dưới chính nó",
    ),
    ("a unit {*} already exists", "đơn vị {*} đã tồn tại"),
    ("an area {*} already exists", "khu vực {*} đã tồn tại"),
    (
        "a customer with the code {*} already exists",
        "khách hàng mã {*} đã tồn tại",
    ),
    ("{*} is already blocked", "{*} đã bị chặn"),
    ("{*} is also an extra holiday", "{*} cũng là ngày nghỉ bổ sung"),
    ("is already used by another rule", "đã được dùng ở quy tắc khác"),
    ("must name a team", "phải chỉ định tổ đội"),
    ("needs a name", "cần có tên"),
    ("has no name", "không có tên"),
    ("has a name that is not valid UTF-8", "có tên không phải UTF-8 hợp lệ"),
    ("name at least one area", "hãy nêu ít nhất một khu vực"),
    (
        "name at least one event type, or * for all",
        "hãy nêu ít nhất một loại sự kiện, hoặc * cho tất cả",
    ),
    (
        "{*} is not an event type; use {*}",
        "{*} không phải loại sự kiện; hãy dùng {*}",
    ),
    (
        "unknown event types: {*} (known: {*})",
        "loại sự kiện không tồn tại: {*} (có: {*})",
    ),
    (
        "must use https (plain http only to a loopback address)",
        "phải dùng https (http thường chỉ cho địa chỉ loopback)",
    ),
    (
        "must not carry credentials: verify the signature instead",
        "không được chứa thông tin đăng nhập: hãy kiểm tra chữ ký thay thế",
    ),
    (
        "give `owner` (an agent) or `queue`",
        "hãy nêu `owner` (một nhân viên) hoặc `queue`",
    ),
    (
        "only `cancelled` may be set; record an attempt to close it otherwise",
        "chỉ được đặt `cancelled`; muốn đóng thì hãy ghi nhận một lần gọi",
    ),
    (
        "the callback is {}; it takes no more changes",
        "yêu cầu gọi lại đang ở trạng thái {}; không nhận thêm thay đổi",
    ),
    ("a withheld number cannot be blocked", "không thể chặn số ẩn danh"),
    (
        "a withheld number cannot be called back",
        "không thể gọi lại số ẩn danh",
    ),
    (
        "feedback was already given for this work order",
        "phiếu công việc này đã có phản hồi",
    ),
    (
        "the work order is {}; feedback is taken once it is resolved or closed",
        "phiếu công việc đang ở trạng thái {}; chỉ nhận phản hồi khi đã hoàn thành hoặc đóng",
    ),
    ("is required to assign", "là bắt buộc khi phân công"),
    (
        "is required for a staff-conduct complaint: the date promised to the customer",
        "là bắt buộc với khiếu nại thái độ nhân viên: ngày đã hẹn trả lời khách hàng",
    ),
    (
        "is required when the topic was answered on the call",
        "là bắt buộc khi nội dung đã được trả lời ngay trong cuộc gọi",
    ),
    (
        "is required: say why, for the next supervisor",
        "là bắt buộc: hãy nêu lý do cho giám sát viên sau",
    ),
    (
        "cannot {} a work order that is {}; allowed actions: {}",
        "không thể {} phiếu công việc đang ở trạng thái {}; các thao tác được phép: {}",
    ),
    ("the incident is already resolved", "sự cố đã được khắc phục"),
    (
        "only a proposed incident can be activated; this one is {}",
        "chỉ sự cố đề xuất mới được kích hoạt; sự cố này đang ở trạng thái {}",
    ),
    (
        "only a draft or published notice can be changed; this one is {}",
        "chỉ sửa được thông báo nháp hoặc đã công bố; thông báo này đang ở trạng thái {}",
    ),
    (
        "a {} notice cannot {}; allowed: {}",
        "thông báo ở trạng thái {} không thể {}; được phép: {}",
    ),
    (
        "a published notice moves by the postpone action",
        "thông báo đã công bố chỉ dời lịch bằng thao tác postpone",
    ),
    (
        "published less than {*} days before the start: say why (Circular 22/2020/TT-BCT)",
        "công bố chưa đủ {*} ngày trước giờ cắt điện: hãy nêu lý do (Thông tư 22/2020/TT-BCT)",
    ),
    (
        "the author of a version may not approve it; another supervisor must",
        "người soạn phiên bản không được tự duyệt; cần giám sát viên khác duyệt",
    ),
    (
        "version {*} is {}; only a {} version can be approved",
        "phiên bản {*} đang ở trạng thái {}; chỉ phiên bản {} mới được duyệt",
    ),
    (
        "the range holds more than {*} hour buckets: choose a larger bucket or a shorter range",
        "khoảng thời gian có hơn {*} mốc giờ: hãy chọn mốc lớn hơn hoặc khoảng ngắn hơn",
    ),
    (
        "the range may cover at most {*} days",
        "khoảng thời gian tối đa {*} ngày",
    ),
    (
        "must be Inbound, Missed, Outbound or Notanswered, not {*}",
        "phải là Inbound, Missed, Outbound hoặc Notanswered, không phải {*}",
    ),
    // Imports.
    ("is a required column and is missing", "là cột bắt buộc nhưng không có"),
    (
        "is not a known column; the columns are {*}",
        "không phải cột được hỗ trợ; các cột là {*}",
    ),
    (
        "the file is empty; the first line must name the columns: {*}",
        "tệp trống; dòng đầu tiên phải ghi tên các cột: {*}",
    ),
    (
        "the header row is not usable; it must name the columns {*} ({*} and {*} required)",
        "dòng tiêu đề không dùng được; phải ghi tên các cột {*} (bắt buộc {*} và {*})",
    ),
    // Added for the paths the tests do not take.
    ("read articles", "xem bài hướng dẫn"),
    ("read planned outages", "xem lịch cắt điện"),
    ("read work orders", "xem phiếu công việc"),
    ("simulate routing", "chạy thử phân công"),
    ("import areas", "nhập danh sách khu vực"),
    (
        "the {} role may read no events",
        "vai trò {} không được đọc sự kiện nào",
    ),
    ("there is no {} {*}", "không có {} {*}"),
    ("cannot be the {} itself", "không thể là chính {} này"),
    ("a team {*} already exists", "tổ đội {*} đã tồn tại"),
    (
        "the incident changed meanwhile; try again",
        "sự cố vừa bị thay đổi; hãy thử lại",
    ),
    (
        "the incident or one of its work orders changed meanwhile; try again",
        "sự cố hoặc một phiếu công việc của nó vừa bị thay đổi; hãy thử lại",
    ),
    (
        "the work order changed meanwhile; try again",
        "phiếu công việc vừa bị thay đổi; hãy thử lại",
    ),
    (
        "the incident is resolved; work orders no longer attach to it",
        "sự cố đã được khắc phục; không gắn thêm phiếu công việc vào sự cố này",
    ),
    (
        "the incident is resolved and no longer changes",
        "sự cố đã được khắc phục và không thay đổi nữa",
    ),
    (
        "the tree changed while the file was being imported; import it again",
        "cây tổ chức đã thay đổi trong lúc nhập tệp; hãy nhập lại",
    ),
    ("is not a call id", "không phải mã cuộc gọi"),
    ("must be at most {*}", "tối đa {*}"),
    ("{*} is listed twice", "{*} bị liệt kê hai lần"),
    ("at most {*} areas", "tối đa {*} khu vực"),
    ("at most {*} names", "tối đa {*} tên"),
    ("at most {*} shifts", "tối đa {*} ca trực"),
    ("at most {*} customers", "tối đa {*} khách hàng"),
    ("at most {*} stations", "tối đa {*} trạm biến áp"),
    (
        "is required when a work order was opened",
        "là bắt buộc khi đã mở phiếu công việc",
    ),
    (
        "only a topic answered on the call names an article",
        "chỉ nội dung được trả lời ngay trong cuộc gọi mới ghi bài hướng dẫn",
    ),
    (
        "only a work_order topic names a work order",
        "chỉ nội dung xử lý bằng phiếu công việc mới ghi mã phiếu",
    ),
    (
        "a callback needs an owner: an agent or a queue",
        "yêu cầu gọi lại cần người phụ trách: một điện thoại viên hoặc một hàng chờ",
    ),
    (
        "give both latitude and longitude, or neither",
        "hãy nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai",
    ),
    (
        "give both lat and long, or neither",
        "hãy nhập cả lat và long, hoặc bỏ trống cả hai",
    ),
    (
        "give lat and long, address_string, address_id or attribute[customer_code]",
        "hãy nhập lat và long, address_string, address_id hoặc attribute[customer_code]",
    ),
    ("is not a number", "không phải là số"),
    ("must be true or false", "phải là true hoặc false"),
    ("unknown attribute {*}", "thuộc tính không được hỗ trợ: {*}"),
    ("unknown service code {*}", "mã dịch vụ không tồn tại: {*}"),
    ("is required: the new start", "là bắt buộc: giờ bắt đầu mới"),
    (
        "is required: the new expected end",
        "là bắt buộc: giờ dự kiến kết thúc mới",
    ),
    (
        "is the current start; a postponement moves it",
        "trùng giờ bắt đầu hiện tại; hoãn lịch phải dời giờ này",
    ),
    (
        "the window has begun; postpone or cancel the notice instead",
        "đã đến giờ cắt điện; hãy hoãn hoặc hủy thông báo",
    ),
    (
        "start and end must differ (leave hours out for the whole day)",
        "giờ bắt đầu và kết thúc phải khác nhau (bỏ giờ nếu áp dụng cả ngày)",
    ),
    (
        "must be a time of day, HH:MM (24:00 for midnight)",
        "phải là giờ trong ngày, dạng HH:MM (24:00 là nửa đêm)",
    ),
    ("only for the named strategy", "chỉ dùng cho cách phân công đã nêu"),
    ("is not a valid ETag", "không phải ETag hợp lệ"),
    ("must be csv or json", "phải là csv hoặc json"),
    // Satisfaction surveys.
    ("survey campaign", "đợt khảo sát"),
    ("read survey campaigns", "xem đợt khảo sát"),
    ("run survey campaigns", "tổ chức đợt khảo sát"),
    ("record survey answers", "ghi nhận câu trả lời khảo sát"),
    ("is not in the campaign's sample", "không có trong mẫu khảo sát của đợt"),
    ("the campaign is not open", "đợt khảo sát chưa mở hoặc đã đóng"),
    (
        "the customer's answers are recorded already",
        "câu trả lời của khách hàng đã được ghi nhận",
    ),
    ("is answered twice", "bị trả lời hai lần"),
    (
        "is not a question of the campaign",
        "không phải câu hỏi của đợt khảo sát",
    ),
    (
        "the required question {*} is not answered",
        "câu hỏi bắt buộc {*} chưa được trả lời",
    ),
    ("give per_unit or total", "hãy nêu per_unit hoặc total"),
    (
        "give per_unit or total, not both",
        "chỉ nêu một trong per_unit hoặc total",
    ),
    ("is used by an earlier question", "đã được dùng ở câu hỏi trước"),
    ("must have at most {*} questions", "tối đa {*} câu hỏi"),
    (
        "only a draft campaign can be sampled",
        "chỉ đợt khảo sát nháp mới được chọn mẫu",
    ),
    (
        "only a sampled campaign can be opened",
        "chỉ đợt khảo sát đã chọn mẫu mới được mở",
    ),
    (
        "only an open campaign can be closed",
        "chỉ đợt khảo sát đang mở mới được đóng",
    ),
    ("only a draft campaign can be changed", "chỉ sửa được đợt khảo sát nháp"),
    ("only a draft campaign can be deleted", "chỉ xóa được đợt khảo sát nháp"),
    ("survey response", "câu trả lời khảo sát"),
    (
        "must be {*} to {*} lower-case letters, digits or underscores",
        "phải gồm {*} đến {*} chữ thường, chữ số hoặc dấu gạch dưới",
    ),
    (
        "must be a whole number from {*} to {*}",
        "phải là số nguyên từ {*} đến {*}",
    ),
    // Complaints and compliments.
    ("record complaint facts", "ghi nhận nội dung khiếu nại"),
    ("is not a known team", "không phải tổ đội có trong hệ thống"),
    ("is not a known user", "không phải người dùng có trong hệ thống"),
    ("is not an outcome of this category", "không phải kết quả của nhóm này"),
    ("are not kept for this category", "không được ghi cho nhóm này"),
    ("does not apply to this category", "không áp dụng cho nhóm này"),
    ("does not apply to this outcome", "không áp dụng cho kết quả này"),
    (
        "must be {*} to {*} letters, digits or dashes",
        "phải gồm {*} đến {*} chữ cái, chữ số hoặc dấu gạch ngang",
    ),
    ("must be a month as YYYY-MM", "phải là tháng dạng YYYY-MM"),
    ("must be a date as YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD"),
    ("must be 0 or more", "phải từ 0 trở lên"),
    (
        "must be more than {*} and at most {*}",
        "phải lớn hơn {*} và tối đa {*}",
    ),
    ("must have at most {*} items", "tối đa {*} mục"),
    ("must not be in the future", "không được ở trong tương lai"),
    (
        "give the disputed reading or the bill period",
        "hãy nêu chỉ số công tơ bị khiếu nại hoặc kỳ hóa đơn",
    ),
    ("is required with the bill period", "là bắt buộc khi có kỳ hóa đơn"),
    (
        "is required when the meter was tested",
        "là bắt buộc khi đã kiểm định công tơ",
    ),
    (
        "is required when the bill was adjusted",
        "là bắt buộc khi đã điều chỉnh hóa đơn",
    ),
    (
        "is required when the complaint is unfounded",
        "là bắt buộc khi khiếu nại không có cơ sở",
    ),
    (
        "is required when the claim is accepted",
        "là bắt buộc khi yêu cầu bồi thường được chấp nhận",
    ),
    (
        "needs the damaged appliances claimed",
        "cần nêu các thiết bị hư hỏng được yêu cầu bồi thường",
    ),
    (
        "give the staff member or the team concerned",
        "hãy nêu nhân viên hoặc tổ đội liên quan",
    ),
    ("is required with answer_text", "là bắt buộc khi có answer_text"),
    ("is required with answered_on", "là bắt buộc khi có answered_on"),
    (
        "name the agent, team or staff member complimented",
        "hãy nêu điện thoại viên, tổ đội hoặc nhân viên được khen",
    ),
    // New-supply applications.
    ("new-supply application", "hồ sơ cấp điện mới"),
    ("work this new-supply request", "xử lý hồ sơ cấp điện mới này"),
    ("is too long", "quá dài"),
    ("is not a known area", "không phải khu vực có trong hệ thống"),
    (
        "give one of document, supply_type or step",
        "hãy nêu một trong document, supply_type hoặc step",
    ),
    (
        "give only one of document, supply_type or step",
        "chỉ nêu một trong document, supply_type hoặc step",
    ),
    (
        "give a phone number or an e-mail address",
        "hãy nêu số điện thoại hoặc địa chỉ e-mail",
    ),
    (
        "must be a phone number to call back",
        "phải là số điện thoại gọi lại được",
    ),
    ("must be an e-mail address", "phải là địa chỉ e-mail"),
    (
        "must be the 12 digits of a citizen ID card (CCCD)",
        "phải là 12 chữ số của căn cước công dân (CCCD)",
    ),
    (
        "must be a tax code of 10 digits, or 13 written as {*}",
        "phải là mã số thuế 10 chữ số, hoặc 13 chữ số viết dạng {*}",
    ),
    ("{*} is already ticked", "{*} đã được đánh dấu"),
    (
        "is not on this request's checklist",
        "không có trong danh mục hồ sơ của yêu cầu này",
    ),
    (
        "the request is {}: no more steps",
        "hồ sơ đang ở bước {}: không còn bước nào",
    ),
    (
        "the request is {}: tick the missing documents first",
        "hồ sơ đang ở bước {}: hãy đánh dấu các giấy tờ còn thiếu trước",
    ),
    (
        "the request is {}: the next step is {} (or cancelled)",
        "hồ sơ đang ở bước {}: bước tiếp theo là {} (hoặc hủy)",
    ),
    (
        "the request is {}: its documents are no longer ticked",
        "hồ sơ đang ở bước {}: không còn đánh dấu giấy tờ",
    ),
    (
        "the request is {}: its type can no longer change",
        "hồ sơ đang ở bước {}: không đổi loại được nữa",
    ),
    (
        "is required: the area's urban or rural kind is not known",
        "là bắt buộc: chưa biết khu vực là thành thị hay nông thôn",
    ),
    (
        "the X-Hotline-Signature header is missing or wrong",
        "thiếu header X-Hotline-Signature hoặc chữ ký sai",
    ),
    (
        "the e-mail gateway is not configured: set HOTLINE_EMAIL_GATEWAY_SECRET",
        "cổng e-mail chưa được cấu hình: hãy đặt HOTLINE_EMAIL_GATEWAY_SECRET",
    ),
    (
        "is required when the source is call",
        "là bắt buộc khi nguồn là cuộc gọi",
    ),
    (
        "is required for a new_supply work order: the applicant's name and phone come from the customer; for anyone else open the request at /api/v1/new-supply-applications",
        "là bắt buộc với phiếu cấp điện mới: tên và số điện thoại của người đề nghị lấy từ khách hàng; với người khác, hãy lập hồ sơ tại /api/v1/new-supply-applications",
    ),
    (
        "the customer has no phone or e-mail to reach the applicant: open the request at /api/v1/new-supply-applications",
        "khách hàng không có số điện thoại hay e-mail để liên hệ người đề nghị: hãy lập hồ sơ tại /api/v1/new-supply-applications",
    ),
    ("provided string was not `true` or `false`", "phải là true hoặc false"),
    ("E-mail gateway off", "Cổng e-mail đang tắt"),
    ("malformed JSON: {p}", "JSON sai định dạng: {p}"),
    ("could not read the body: {*}", "không đọc được nội dung yêu cầu: {*}"),
    // Open311's own errors (each in its list as `field: message`).
    (
        "is required (an integration API key, or Authorization: Bearer)",
        "là bắt buộc (khóa API tích hợp, hoặc Authorization: Bearer)",
    ),
    (
        "no such resource: add .json or .xml",
        "không có tài nguyên này: hãy thêm .json hoặc .xml",
    ),
    ("no such token", "không có mã theo dõi này"),
    ("no such request", "không có yêu cầu này"),
    (
        "send application/x-www-form-urlencoded or application/json",
        "hãy gửi application/x-www-form-urlencoded hoặc application/json",
    ),
    ("must be open or closed", "phải là open hoặc closed"),
    ("must be an http or https URL", "phải là URL http hoặc https"),
    // Accounts: one's own account, passwords and resets, scoped API keys.
    (
        "must not be the username, nor the username reversed",
        "không được trùng tên đăng nhập, kể cả khi viết ngược",
    ),
    (
        "is one of the most common passwords; choose one that is harder to guess",
        "là một trong những mật khẩu phổ biến nhất; hãy chọn mật khẩu khó đoán hơn",
    ),
    ("is not your current password", "không phải mật khẩu hiện tại của bạn"),
    (
        "is unknown, used or expired",
        "không tồn tại, đã được dùng hoặc đã hết hạn",
    ),
    (
        "an API key has no account of its own to change; an admin manages it",
        "API key không có tài khoản riêng để thay đổi; quản trị viên quản lý nó",
    ),
    (
        "the password was changed since this token was issued; sign in again",
        "mật khẩu đã được đổi sau khi cấp token này; hãy đăng nhập lại",
    ),
    (
        "must name at least one scope, or be left out for the role's rights",
        "phải nêu ít nhất một phạm vi, hoặc bỏ trống để dùng quyền của vai trò",
    ),
    ("unknown scope {*}", "phạm vi không xác định {*}"),
    ("this API key lacks the scope {*}", "API key này thiếu phạm vi {*}"),
    (
        "this API key is limited to scopes, and none of them opens this route",
        "API key này bị giới hạn phạm vi, và không phạm vi nào cho phép truy cập đường dẫn này",
    ),
    (
        "an API key limited to a unit may not manage users or API keys",
        "API key bị giới hạn trong một đơn vị không được quản lý người dùng hay API key",
    ),
    (
        "lies outside the unit this API key is limited to",
        "nằm ngoài đơn vị mà API key này bị giới hạn",
    ),
    // Personal data: the log of reads and subject access.
    (
        "read the log of reads of personal data",
        "xem nhật ký tra cứu dữ liệu cá nhân",
    ),
    (
        "export what is held about a person",
        "xuất dữ liệu đang lưu về một người",
    ),
    (
        "only admins and the centre's supervisors export a number no customer has",
        "chỉ quản trị viên và giám sát viên của trung tâm được xuất dữ liệu của số điện thoại không thuộc khách hàng nào",
    ),
    (
        "give customer_code or number, not both",
        "hãy nêu customer_code hoặc number, không nêu cả hai",
    ),
    ("give customer_code or number", "hãy nêu customer_code hoặc number"),
    // Personal data: erasure on request.
    ("erase personal data", "xóa dữ liệu cá nhân"),
    (
        "erase personal data by number",
        "xóa dữ liệu cá nhân theo số điện thoại",
    ),
    ("erasure", "lần xóa dữ liệu cá nhân"),
    (
        "give either customer_code or number",
        "hãy nêu customer_code hoặc number (chỉ một trong hai)",
    ),
    (
        "held by open complaints: {*}; erase once they are resolved",
        "dữ liệu đang được giữ vì khiếu nại chưa giải quyết xong: {*}; hãy xóa sau khi các khiếu nại này được giải quyết",
    ),
    (
        "this delivery's body was removed after its retention; it cannot be sent again",
        "nội dung của lần gửi này đã bị xóa khi hết thời hạn lưu giữ; không thể gửi lại",
    ),
];
